import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gate, type GateOptions, type GateResult } from '../../src/commands/gate.js';
import { UsageError } from '../../src/core/errors.js';
import { makeIo } from '../helpers/io.js';
import { benchmarkRun, sampleDir } from '../helpers/samples.js';

// As runbooks/config.yaml has them (the seed's token budget and SLA).
const budgets = { recommendation: { p95Ms: 3000, inputTokens: 520, outputTokens: 350 } };

const files = sampleDir();
const baseline = files.write('baseline.txt', benchmarkRun(101, 400, 1180, 2410));
const unchanged = files.write('unchanged.txt', benchmarkRun(102, 400, 1180, 2410));
// +20 % at p95 (2410 → 2892 ms): still inside the 3000 ms SLA, so only the regression check can stop it.
const slower20 = files.write('slower-20.txt', benchmarkRun(103, 400, 1416, 2892));

async function run(opts: Partial<GateOptions>) {
  const t = makeIo();
  const code = await gate({ baseline, candidate: unchanged, budgets, ...opts }, t.io);
  return { code, out: t.out(), err: t.err() };
}

async function rejection(opts: Partial<GateOptions>): Promise<UsageError> {
  const t = makeIo();
  const error = await gate({ baseline, candidate: unchanged, budgets, ...opts }, t.io).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).exitCode).toBe(2);
  return error as UsageError;
}

describe('gate: the CI benchmark gate', () => {
  it('GIVEN a candidate 20 % slower at p95 THEN blocked (exit 1), saying why with the figures', async () => {
    const { code, out } = await run({ candidate: slower20 });
    expect(code).toBe(1);
    expect(out).toMatch(
      /^FAIL {2}p95 regression {2}p95 2410 ms → 2892 ms \(\+20\.0%\), allowed \+15%; significant: Mann-Whitney p (<|=) [\d.]+, below α = 0\.05 \(asymptotic, n = 400 vs 400\)$/m,
    );
    expect(out).toMatch(/^PASS {2}p95 budget {6}candidate p95 2892 ms ≤ budget 3000 ms$/m);
    expect(out).toMatch(/^SKIP {2}input tokens {4}no samples given \(--candidate-input-tokens FILE\); budget 520$/m);
    expect(out).toContain('Blocked: 1 of 2 checks failed (p95 regression).');
  });

  it('GIVEN an unchanged candidate THEN it passes (exit 0), still saying why', async () => {
    const { code, out } = await run({});
    expect(code).toBe(0);
    expect(out).toMatch(/^PASS {2}p95 regression {2}p95 2410 ms → \d+ ms \([+±-]\d+\.\d%\), allowed \+15%; within the limit \(Mann-Whitney p = [\d.]+, not below α = 0\.05/m);
    expect(out).toMatch(/^PASS {2}p95 budget/m);
    expect(out).toContain('Passed: 2 of 2 checks passed.');
  });

  it('GIVEN a stricter --max-regression THEN the same candidate is judged against it', async () => {
    const { code, out } = await run({ candidate: slower20, maxRegression: 0.25 });
    expect(code).toBe(0);
    expect(out).toMatch(/allowed \+25%; within the limit/);
  });

  it('GIVEN a candidate over the p95 SLA THEN blocked by the budget even without a significant regression', async () => {
    const over = files.write('over-sla.txt', benchmarkRun(104, 400, 1500, 3100));
    const { code, out } = await run({ baseline: files.write('base-3050.txt', benchmarkRun(105, 400, 1500, 3050)), candidate: over });
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL {2}p95 budget {6}candidate p95 3100 ms > budget 3000 ms$/m);
  });

  it('GIVEN token samples and --token-stat p95 THEN each is checked against the intent budget at p95', async () => {
    const inputOk = files.write('input-tokens.csv', 'tokens,id\n' + Array.from({ length: 100 }, (_, i) => `${480 + (i % 30)},r${i}`).join('\n'));
    const outputOver = files.write('output-tokens.csv', 'id,tokens\n' + Array.from({ length: 100 }, (_, i) => `r${i},${300 + i}`).join('\n'));
    const { code, out } = await run({ candidateInputTokens: inputOk, candidateOutputTokens: outputOver, tokensColumn: 'tokens', tokenStat: 'p95' });
    expect(code).toBe(1);
    expect(out).toMatch(/^PASS {2}input tokens {4}candidate p95 508 ≤ budget 520 tokens per response \(n = 100, max 509\)$/m);
    expect(out).toMatch(/^FAIL {2}output tokens {3}candidate p95 394 > budget 350 tokens per response \(n = 100, max 399\)$/m);
  });

  it('GIVEN token samples THEN by default the budget holds their maximum: one 380-token response over 350 blocks', async () => {
    const outputs = files.write('outputs-380.txt', [...Array.from({ length: 99 }, (_, i) => 250 + i), 380]);
    const { code, out } = await run({ candidateOutputTokens: outputs });
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL {2}output tokens {3}candidate max 380 > budget 350 tokens per response \(n = 100, p95 \d+(\.\d+)?\)$/m);
    // The same samples judged at p95 (under 350) pass: the default is the stricter, seed's reading.
    expect((await run({ candidateOutputTokens: outputs, tokenStat: 'p95' })).code).toBe(0);
  });

  it('GIVEN a +20 % p95 whose Mann-Whitney test is not significant THEN blocked by default, the significance printed beside it', async () => {
    // The same run with only its slowest tenth 21 % slower: p95 moves, the distribution hardly.
    const base = benchmarkRun(108, 200, 1180, 2410);
    const cut = [...base].sort((a, b) => a - b)[179]!;
    const tail = files.write('tail-20.txt', base.map((v) => (v > cut ? v * 1.21 : v)));
    const baseFile = files.write('tail-base.txt', base);
    const { code, out } = await run({ baseline: baseFile, candidate: tail });
    expect(code).toBe(1);
    expect(out).toMatch(/^FAIL {2}p95 regression {2}p95 2410 ms → \d+ ms \(\+2\d\.\d%\), allowed \+15%; not significant: Mann-Whitney p = 0\.\d+, not below α = 0\.05 .*the p95 change alone blocks/m);
    // --require-significance: the rule that asks for both lets it through.
    const strict = await run({ baseline: baseFile, candidate: tail, requireSignificance: true });
    expect(strict.code).toBe(0);
    expect(strict.out).toMatch(/^PASS {2}p95 regression .*over the limit but not significant/m);
  });

  it('GIVEN a significant slowdown within the allowed fraction THEN it passes', async () => {
    const before = files.write('big-base.txt', benchmarkRun(106, 3000, 1180, 2410));
    const after = files.write('big-cand.txt', benchmarkRun(107, 3000, 1290, 2651));
    const { code, out } = await run({ baseline: before, candidate: after });
    expect(code).toBe(0);
    expect(out).toMatch(/\(\+10\.0%\), allowed \+15%; within the limit \(Mann-Whitney p < 0\.001, below α = 0\.05/);
  });

  it('GIVEN --json THEN only the result object on stdout', async () => {
    const t = makeIo();
    const code = await gate({ baseline, candidate: slower20, budgets, json: true }, t.io);
    const result = JSON.parse(t.out()) as GateResult;
    expect(code).toBe(1);
    expect(t.err()).toBe('');
    expect(result.passed).toBe(false);
    expect(result.intent).toBe('recommendation');
    expect(result.rules).toEqual({ maxRegression: 0.15, requireSignificance: false, tokenStat: 'max' });
    expect(result.checks.map((c) => [c.name, c.status])).toEqual([
      ['p95 regression', 'fail'],
      ['p95 budget', 'pass'],
      ['input tokens', 'skip'],
      ['output tokens', 'skip'],
    ]);
    expect(result.checks[0]!.value).toBeCloseTo(0.2, 10);
    expect(result.comparison.significant).toBe(true);
    expect(result.comparison.after.p95).toBeCloseTo(2892, 6);
  });
});

describe('gate on bad input: exit 2', () => {
  it('GIVEN an intent without a budget THEN it names the intents that have one', async () => {
    const e = await rejection({ intent: 'faq' });
    expect(e.message).toBe('--intent faq: no budget for this intent in config budgets');
    expect(e.hint).toBe('budgets exist for: recommendation');
  });

  it('GIVEN a malformed budget in config THEN it names the key', async () => {
    const e = await rejection({ budgets: { recommendation: { p95Ms: 'fast' } } });
    expect(e.message).toMatch(/^config budgets\.recommendation\.p95Ms: /);
  });

  it('GIVEN a sample file with a bad value THEN file:line', async () => {
    const e = await rejection({ candidate: files.write('bad-cand.txt', '1200\noops\n') });
    expect(e.message).toBe(`${join(files.dir, 'bad-cand.txt')}:2: "oops" is not a number`);
  });

  it('GIVEN too few samples to decide THEN it says so', async () => {
    const e = await rejection({ baseline: files.write('two.txt', [1, 2]), candidate: files.write('two-c.txt', [3, 4]) });
    expect(e.message).toMatch(/^too few samples to decide: 2 before and 2 after/);
  });

  it('GIVEN an unknown --token-stat THEN it names the choices', async () => {
    const e = await rejection({ tokenStat: 'mean' as never });
    expect(e.message).toBe('--token-stat "mean": expected one of max, p95');
  });

  it('GIVEN a negative --max-regression THEN it says what it expects', async () => {
    const e = await rejection({ maxRegression: -1 });
    expect(e.message).toMatch(/^--max-regression -1: a fraction such as 0\.15/);
  });
});
