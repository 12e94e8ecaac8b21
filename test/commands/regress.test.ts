import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { regress, type RegressOptions, type RegressResult } from '../../src/commands/regress.js';
import { UsageError } from '../../src/core/errors.js';
import type { SeriesQuery, SeriesSource } from '../../src/stats/series-source.js';
import { makeIo } from '../helpers/io.js';
import { lognormalSample, mulberry32 } from '../helpers/random.js';
import { benchmarkRun, sampleDir } from '../helpers/samples.js';

async function run(opts: RegressOptions, overrides: Parameters<typeof makeIo>[0] = {}) {
  const t = makeIo(overrides);
  const code = await regress(opts, t.io);
  return { code, out: t.out(), err: t.err() };
}

async function runJson(opts: RegressOptions) {
  const r = await run({ ...opts, json: true });
  return { ...r, result: JSON.parse(r.out) as RegressResult };
}

async function rejection(opts: RegressOptions, overrides: Parameters<typeof makeIo>[0] = {}): Promise<UsageError> {
  const t = makeIo(overrides);
  const error = await regress(opts, t.io).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  expect((error as UsageError).exitCode).toBe(2);
  expect(t.out()).toBe('');
  return error as UsageError;
}

// Scenario 5's benchmark runs: recommendation p50 1180 → 1620 ms, p95 2410 → 3210 ms.
const files = sampleDir();
const seedBefore = files.write('before-13-45.txt', benchmarkRun(1345, 200, 1180, 2410));
const seedAfter = files.write('after-15-00.txt', benchmarkRun(1500, 200, 1620, 3210));

describe('regress from files: the seed example', () => {
  it('GIVEN the 13:45 and 15:00 runs THEN a significant regression, SEV-2, exit 1, in the seed table', async () => {
    const { code, out } = await run({ before: seedBefore, after: seedAfter });
    expect(code).toBe(1);
    expect(out).toMatch(/^Metric\s+Before\s+After\s+Change\s+Significance$/m);
    expect(out).toMatch(/^latency p95\s+2410 ms\s+3210 ms\s+\+33\.2%\s+p < 0\.001 ¹$/m);
    expect(out).toMatch(/^latency p50\s+\d+ ms\s+\d+ ms\s+\+\d+\.\d%/m);
    expect(out).toMatch(/^latency p99\s+/m);
    expect(out).toContain('Verdict: significant regression (p < 0.001, below α = 0.05); p95 +33.2% > 25%: SEV-2');
    expect(out).toContain('Severity: SEV-2');
    expect(out).toContain('before: ' + seedBefore + ' (200 samples)');
  });

  it('GIVEN --json THEN exactly one object on stdout with the figures, nothing on stderr', async () => {
    const { code, out, err, result } = await runJson({ before: seedBefore, after: seedAfter });
    expect(code).toBe(1);
    expect(err).toBe('');
    expect(out.trim().startsWith('{') && out.trim().endsWith('}')).toBe(true);
    expect(result).toMatchObject({
      source: 'files',
      method: 'asymptotic',
      alternative: 'greater',
      significant: true,
      regression: true,
      severity: 'SEV-2',
      before: { n: 200 },
      after: { n: 200 },
    });
    expect(result.before.p95).toBeCloseTo(2410, 6);
    expect(result.after.p95).toBeCloseTo(3210, 6);
    expect(result.p95Change).toBeCloseTo(3210 / 2410 - 1, 12);
    expect(result.pValue).toBeLessThan(0.001);
    expect(result.u).toBeGreaterThan(200 * 200 * 0.5);
    for (const k of ['p50', 'p99'] as const) expect(typeof result.before[k]).toBe('number');
  });

  it('GIVEN first-token and tokens-per-response runs THEN their rows join the table', async () => {
    const rand = mulberry32(9);
    const { out } = await run({
      before: seedBefore,
      after: seedAfter,
      beforeFirstToken: files.write('ft-before.txt', lognormalSample(rand, 200, 600, 1050)),
      afterFirstToken: files.write('ft-after.txt', lognormalSample(rand, 200, 790, 1380)),
      beforeTokens: files.write('tok-before.csv', 'request,tokens\n' + lognormalSample(rand, 200, 280, 380).map((v, i) => `r${i},${Math.round(v)}`).join('\n')),
      afterTokens: files.write('tok-after.csv', 'request,tokens\n' + lognormalSample(rand, 200, 405, 540).map((v, i) => `r${i},${Math.round(v)}`).join('\n')),
      tokensColumn: 'tokens',
    });
    expect(out).toMatch(/^first-token p95\s+\d+ ms\s+\d+ ms\s+\+\d+\.\d%\s+p < 0\.001$/m);
    expect(out).toMatch(/^tokens\/response\s+\d+ avg\s+\d+ avg\s+\+\d+\.\d%\s+p < 0\.001$/m);
  });
});

describe('regress agrees with SciPy', () => {
  const reference = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'data', 'scipy', 'cases.json'), 'utf8')) as {
    cases: { name: string; after: number[]; before: number[]; results: { alternative: string; method: string; statistic: number; pvalue: number }[] }[];
  };
  for (const name of ['seed-like-200v200-ms', '3v1000-middle', '8v30-no-ties']) {
    it(`GIVEN the reference case ${name} as files THEN --json has SciPy's U and p (1e-6 relative) for every alternative`, async () => {
      const c = reference.cases.find((x) => x.name === name)!;
      const before = files.write(`${name}-before.json`, JSON.stringify(c.before));
      const after = files.write(`${name}-after.json`, JSON.stringify(c.after));
      for (const r of c.results.filter((x) => x.method === 'auto')) {
        const { result } = await runJson({ before, after, alternative: r.alternative as RegressOptions['alternative'] });
        expect(result.u).toBe(r.statistic);
        expect(Math.abs(result.pValue - r.pvalue) / r.pvalue).toBeLessThan(1e-6);
      }
    });
  }
});

describe('regress verdicts', () => {
  it('GIVEN the same run on both sides THEN no regression, severity none, exit 0', async () => {
    const { code, out } = await run({ before: seedBefore, after: seedBefore });
    expect(code).toBe(0);
    expect(out).toContain('Verdict: no significant regression (p = 0.5, not below α = 0.05); p95 ±0.0% is within noise');
    expect(out).toContain('Severity: none');
  });

  it('GIVEN a small but significant slowdown (p95 +10 %) THEN SEV-3, still exit 1', async () => {
    const before = files.write('big-before.txt', benchmarkRun(21, 3000, 1180, 2410));
    const after = files.write('big-after.txt', benchmarkRun(22, 3000, 1290, 2651));
    const { code, result } = await runJson({ before, after });
    expect(result.significant).toBe(true);
    expect(result.p95Change).toBeCloseTo(0.1, 10);
    expect(result.severity).toBe('SEV-3');
    expect(code).toBe(1);
  });

  it('GIVEN a faster after run and --alternative less THEN significantly faster, no regression, exit 0', async () => {
    const { code, out } = await run({ before: seedAfter, after: seedBefore, alternative: 'less' });
    expect(code).toBe(0);
    expect(out).toMatch(/Verdict: significantly faster \(p < 0\.001, below α = 0\.05\); p95 -24\.9%: no regression/);
  });

  it('GIVEN a slower after run but two-sided THEN still a regression', async () => {
    const { code, result } = await runJson({ before: seedBefore, after: seedAfter, alternative: 'two-sided' });
    expect(code).toBe(1);
    expect(result.severity).toBe('SEV-2');
  });

  it('GIVEN tiny samples without ties THEN the exact method is used and named', async () => {
    const { code, result } = await runJson({
      before: files.write('tiny-before.txt', [1010, 1100, 1180, 1210, 1250]),
      after: files.write('tiny-after.txt', [1300, 1420, 1500, 1610, 1800]),
    });
    expect(result.method).toBe('exact');
    expect(result.pValue).toBeCloseTo(1 / 252, 14);
    expect(code).toBe(1);
  });
});

describe('regress from CloudWatch windows', () => {
  const query: SeriesQuery = {
    namespace: 'MangaAssist',
    metric: 'RecommendationLatency',
    dimensions: { Intent: 'recommendation' },
    stat: 'p95',
    period: 60,
  };
  const now = Date.parse('2026-11-25T06:00:00Z'); // 15:00 JST
  const H = 3_600_000;

  function fake(before: number[], after: number[]) {
    const calls: { query: SeriesQuery; from: Date; to: Date }[] = [];
    const source: SeriesSource = {
      async series(q, from, to) {
        calls.push({ query: q, from, to });
        return from.getTime() < now - H ? before : after;
      },
    };
    return { source, calls };
  }

  const perPeriodBefore = benchmarkRun(31, 120, 2300, 2500);
  const perPeriodAfter = benchmarkRun(32, 60, 3100, 3300);

  it('GIVEN -3h..-1h and -1h..now THEN it asks the source for both windows and says the samples are per-period values', async () => {
    const { source, calls } = fake(perPeriodBefore, perPeriodAfter);
    const { code, out } = await run(
      { metric: 'recommendation-p95', beforeWindow: '-3h..-1h', afterWindow: '-1h..now', probes: { 'recommendation-p95': query }, series: source },
      { now: () => now },
    );
    expect(code).toBe(1);
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => [c.from.toISOString(), c.to.toISOString()])).toEqual([
      ['2026-11-25T03:00:00.000Z', '2026-11-25T05:00:00.000Z'],
      ['2026-11-25T05:00:00.000Z', '2026-11-25T06:00:00.000Z'],
    ]);
    expect(calls[0]!.query).toEqual(query);
    expect(out).toContain(
      'Samples are per-period values — the p95 of MangaAssist/RecommendationLatency per 60 s period — not individual requests; the percentiles below are taken across periods.',
    );
    expect(out).toContain('before: 2026-11-25T03:00:00.000Z..2026-11-25T05:00:00.000Z (120 periods)');
    expect(out).toMatch(/^recommendation-p95 p95\s+2500 ms\s+3300 ms\s+\+32\.0%/m);
  });

  it('GIVEN --json THEN the object says what the samples are', async () => {
    const { source } = fake(perPeriodBefore, perPeriodAfter);
    const t = makeIo({ now: () => now });
    await regress(
      {
        metric: 'recommendation-p95',
        beforeWindow: '2026-11-25T03:00:00Z..2026-11-25T05:00:00Z',
        afterWindow: '2026-11-25T05:00:00Z..now',
        probes: { 'recommendation-p95': query },
        series: source,
        json: true,
      },
      t.io,
    );
    const result = JSON.parse(t.out()) as RegressResult;
    expect(result.source).toBe('cloudwatch');
    expect(result.samples).toEqual({
      kind: 'per-period',
      probe: 'recommendation-p95',
      query,
      before: { from: '2026-11-25T03:00:00.000Z', to: '2026-11-25T05:00:00.000Z' },
      after: { from: '2026-11-25T05:00:00.000Z', to: '2026-11-25T06:00:00.000Z' },
    });
    expect(result.severity).toBe('SEV-2');
  });

  it('GIVEN an unknown probe THEN exit 2 naming the known ones', async () => {
    const { source } = fake([1], [2]);
    const e = await rejection({ metric: 'nope', beforeWindow: '-3h..-1h', afterWindow: '-1h..now', probes: { 'recommendation-p95': query }, series: source });
    expect(e.message).toBe('--metric "nope": no such metric probe in the runbooks');
    expect(e.hint).toBe('known probes: recommendation-p95');
  });

  it('GIVEN overlapping, reversed or malformed windows THEN exit 2 with what is wrong', async () => {
    const { source } = fake([1], [2]);
    const base = { metric: 'p', probes: { p: query }, series: source };
    const io = { now: () => now };
    expect((await rejection({ ...base, beforeWindow: '-3h..-1h', afterWindow: '-2h..now' }, io)).message).toMatch(/^the windows overlap/);
    expect((await rejection({ ...base, beforeWindow: '-1h..-3h', afterWindow: '-1h..now' }, io)).message).toBe(
      '--before-window "-1h..-3h": the window ends (2026-11-25T03:00:00.000Z) before it starts (2026-11-25T05:00:00.000Z)',
    );
    expect((await rejection({ ...base, beforeWindow: 'yesterday..-1h', afterWindow: '-1h..now' }, io)).message).toBe(
      '--before-window "yesterday..-1h": "yesterday" is not a time',
    );
    expect((await rejection({ ...base, beforeWindow: '-3h', afterWindow: '-1h..now' }, io)).message).toBe('--before-window "-3h": a window is FROM..TO');
    expect((await rejection({ ...base, beforeWindow: '-3h..-1h' }, io)).message).toBe('--metric p needs --before-window and --after-window');
  });

  it('GIVEN a window without datapoints THEN exit 2 saying which', async () => {
    const { source } = fake([], [1, 2, 3]);
    const e = await rejection({ metric: 'p', beforeWindow: '-3h..-1h', afterWindow: '-1h..now', probes: { p: query }, series: source }, { now: () => now });
    expect(e.message).toBe(
      'CloudWatch has no MangaAssist/RecommendationLatency p95 datapoints in the before window 2026-11-25T03:00:00.000Z..2026-11-25T05:00:00.000Z',
    );
  });
});

describe('regress on bad input: exit 2 with a clear message, never NaN', () => {
  it('GIVEN an empty file', async () => {
    const e = await rejection({ before: files.write('empty.txt', ''), after: seedAfter });
    expect(e.message).toBe(`${join(files.dir, 'empty.txt')}: no samples (the file is empty)`);
  });

  it('GIVEN a value that is not a number', async () => {
    const e = await rejection({ before: seedBefore, after: files.write('bad.txt', '1200\n1300\nn/a\n') });
    expect(e.message).toBe(`${join(files.dir, 'bad.txt')}:3: "n/a" is not a number`);
  });

  it('GIVEN too few samples to ever reach significance', async () => {
    const e = await rejection({ before: files.write('three-b.txt', [1, 2, 3]), after: files.write('three-a.txt', [4, 5, 6]) });
    expect(e.message).toBe('too few samples to decide: 3 before and 3 after; the smallest p-value any data of this size can give is 0.050, not below α = 0.05');
  });

  it('GIVEN only one of the two files, both modes, or neither', async () => {
    expect((await rejection({ before: seedBefore })).message).toBe('--before needs --after too: the test compares two samples');
    expect((await rejection({ before: seedBefore, after: seedAfter, metric: 'p' })).message).toMatch(/either --before\/--after files or --metric/);
    expect((await rejection({})).message).toBe('nothing to compare');
  });

  it('GIVEN an unknown method, alternative or alpha', async () => {
    const opts = { before: seedBefore, after: seedAfter };
    expect((await rejection({ ...opts, method: 'bootstrap' as never })).message).toBe('--method "bootstrap": expected one of auto, exact, asymptotic');
    expect((await rejection({ ...opts, alternative: 'up' as never })).message).toBe('--alternative "up": expected one of two-sided, greater, less');
    expect((await rejection({ ...opts, alpha: 5 })).message).toMatch(/^--alpha 5: a significance level is between 0 and 1/);
  });

  it('GIVEN a missing file', async () => {
    const e = await rejection({ before: join(files.dir, 'nope.txt'), after: seedAfter });
    expect(e.message).toBe(`${join(files.dir, 'nope.txt')}: cannot read the sample file (no such file)`);
  });
});
