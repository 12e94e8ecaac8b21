// `mangaops gate`: the seed's benchmark gate in CI/CD (scenario 5, prevention). A candidate
// (say a new prompt template) is blocked when its p95 regresses by more than the allowed
// fraction — the seed's rule, "Deployment blocked if p95 regression > 15%", on the p95 alone;
// the Mann-Whitney significance is printed beside it, and required too with
// --require-significance — or when it breaks the intent's budget from config: p95, and tokens
// per response on their maximum ("max 520 input + 350 output tokens"; --token-stat p95 for a
// budget on the 95th percentile). Exit 0: pass; 1: blocked. Every check is printed with its
// figures, pass or fail.
import { z } from 'zod';
import { IntentBudget } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { assertDecidable, compareSamples, type Comparison } from '../stats/compare.js';
import { quantileSorted, sortedCopy, type Summary } from '../stats/describe.js';
import { formatChange, formatFraction, formatP, formatValue } from '../stats/format.js';
import { methods, type Method } from '../stats/mannwhitney.js';
import { readSamples } from '../stats/samples.js';
import { checkAlpha } from './regress.js';

export interface GateOptions {
  /** Latency samples of the current version and of the candidate (files as for regress). */
  baseline: string;
  candidate: string;
  /** CSV column of the latency files. */
  column?: string;
  /** Whose budget applies; default "recommendation". */
  intent?: string;
  /** Largest p95 increase allowed; default 0.15 (+15 %). */
  maxRegression?: number;
  /** Block a p95 regression only when Mann-Whitney also finds it significant (the rule before the seed's). */
  requireSignificance?: boolean;
  /** Which statistic of the token samples meets the budget: the maximum (default, the seed's "max") or the p95. */
  tokenStat?: TokenStat;
  /** Significance level; default 0.05. */
  alpha?: number;
  method?: Method;
  /** The config's `budgets` (intent → IntentBudget), checked here against the config's own schema. */
  budgets: unknown;
  /** Optional per-request token counts of the candidate, checked against the budget. */
  candidateInputTokens?: string;
  candidateOutputTokens?: string;
  /** CSV column of the token files. */
  tokensColumn?: string;
  /** Print only the result object on stdout. */
  json?: boolean;
}

export type CheckStatus = 'pass' | 'fail' | 'skip';

export const tokenStats = ['max', 'p95'] as const;
export type TokenStat = (typeof tokenStats)[number];

export interface GateCheck {
  name: 'p95 regression' | 'p95 budget' | 'input tokens' | 'output tokens';
  status: CheckStatus;
  /** Why, with the figures. */
  detail: string;
  value?: number;
  limit?: number;
}

/** The `--json` object. */
export interface GateResult {
  intent: string;
  passed: boolean;
  /** The rules applied. */
  rules: { maxRegression: number; requireSignificance: boolean; tokenStat: TokenStat };
  checks: GateCheck[];
  comparison: {
    u: number;
    pValue: number;
    method: 'exact' | 'asymptotic';
    significant: boolean;
    before: Pick<Summary, 'n' | 'p50' | 'p95' | 'p99'>;
    after: Pick<Summary, 'n' | 'p50' | 'p95' | 'p99'>;
    p95Change: number | null;
  };
}

function budgetFor(budgets: unknown, intent: string): IntentBudget {
  const all = z.record(z.string(), z.unknown()).safeParse(budgets ?? {});
  if (!all.success) throw new UsageError('config budgets: expected a mapping of intent → {p95Ms, inputTokens, outputTokens}');
  const raw = all.data[intent];
  if (raw === undefined) {
    const known = Object.keys(all.data).sort();
    throw new UsageError(`--intent ${intent}: no budget for this intent in config budgets`, known.length ? `budgets exist for: ${known.join(', ')}` : 'add one under budgets: in the config');
  }
  const parsed = IntentBudget.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`config budgets.${intent}.${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function regressionCheck(c: Comparison, maxRegression: number, requireSignificance: boolean, unit: string): GateCheck {
  const figures = `p95 ${formatValue(c.before.p95, unit)} → ${formatValue(c.after.p95, unit)} (${formatChange(c.p95Change)}), allowed +${formatFraction(maxRegression)}`;
  const test = `Mann-Whitney ${formatP(c.test.pValue, c.alpha)}, ${c.significant ? 'below' : 'not below'} α = ${c.alpha} (${c.test.method}, n = ${c.before.n} vs ${c.after.n})`;
  const over = c.p95Change === null || c.p95Change > maxRegression;
  const base = { name: 'p95 regression' as const, ...(c.p95Change !== null && { value: c.p95Change }), limit: maxRegression };
  if (over && c.significant) return { ...base, status: 'fail', detail: `${figures}; significant: ${test}` };
  if (over && requireSignificance) return { ...base, status: 'pass', detail: `${figures}; over the limit but not significant: ${test}; not enough evidence to block (--require-significance)` };
  if (over) return { ...base, status: 'fail', detail: `${figures}; not significant: ${test}; the p95 change alone blocks (--require-significance to block only significant ones)` };
  return { ...base, status: 'pass', detail: `${figures}; within the limit (${test})` };
}

function limitCheck(name: GateCheck['name'], value: number, limit: number | undefined, what: string, unit: string, note = ''): GateCheck {
  const shown = `${what} ${formatValue(value, unit)}`;
  if (limit === undefined) return { name, status: 'skip', detail: `${shown}${note}; the intent's budget sets no limit` };
  const ok = value <= limit;
  return { name, status: ok ? 'pass' : 'fail', detail: `${shown} ${ok ? '≤' : '>'} budget ${formatValue(limit, unit)}${note}`, value, limit };
}

async function tokenCheck(name: 'input tokens' | 'output tokens', file: string | undefined, limit: number | undefined, flag: string, stat: TokenStat, column?: string): Promise<GateCheck> {
  if (!file) {
    return { name, status: 'skip', detail: limit === undefined ? 'no samples and no budget' : `no samples given (${flag} FILE); budget ${limit}` };
  }
  const s = await readSamples(file, column !== undefined ? { column } : {});
  const sorted = sortedCopy(s.values);
  const max = sorted[sorted.length - 1]!;
  const p95 = quantileSorted(sorted, 0.95);
  // The budget is a per-response maximum; the other statistic is shown beside it.
  if (stat === 'max') return limitCheck(name, max, limit, 'candidate max', '', ` tokens per response (n = ${sorted.length}, p95 ${formatValue(p95)})`);
  return limitCheck(name, p95, limit, 'candidate p95', '', ` tokens per response (n = ${sorted.length}, max ${formatValue(max)})`);
}

export async function gate(opts: GateOptions, io: Io): Promise<number> {
  const intent = opts.intent ?? 'recommendation';
  const maxRegression = opts.maxRegression ?? 0.15;
  if (!(maxRegression >= 0)) throw new UsageError(`--max-regression ${opts.maxRegression}: a fraction such as 0.15 for +15 %`);
  const requireSignificance = opts.requireSignificance ?? false;
  const tokenStat = opts.tokenStat ?? 'max';
  if (!tokenStats.includes(tokenStat)) throw new UsageError(`--token-stat ${JSON.stringify(tokenStat)}: expected one of ${tokenStats.join(', ')}`);
  const alpha = checkAlpha(opts.alpha);
  if (opts.method !== undefined && !methods.includes(opts.method)) throw new UsageError(`--method ${JSON.stringify(opts.method)}: expected one of ${methods.join(', ')}`);
  const budget = budgetFor(opts.budgets, intent);

  const latency = opts.column !== undefined ? { column: opts.column } : {};
  const [baseline, candidate] = await Promise.all([readSamples(opts.baseline, latency), readSamples(opts.candidate, latency)]);
  assertDecidable(baseline.values.length, candidate.values.length, 'greater', alpha);
  const c = compareSamples(baseline.values, candidate.values, { alternative: 'greater', alpha, ...(opts.method && { method: opts.method }) });

  const checks: GateCheck[] = [
    regressionCheck(c, maxRegression, requireSignificance, 'ms'),
    limitCheck('p95 budget', c.after.p95, budget.p95Ms, 'candidate p95', 'ms'),
    ...(await Promise.all([
      tokenCheck('input tokens', opts.candidateInputTokens, budget.inputTokens, '--candidate-input-tokens', tokenStat, opts.tokensColumn),
      tokenCheck('output tokens', opts.candidateOutputTokens, budget.outputTokens, '--candidate-output-tokens', tokenStat, opts.tokensColumn),
    ])),
  ];
  const failed = checks.filter((k) => k.status === 'fail');
  const pick = (s: Summary) => ({ n: s.n, p50: s.p50, p95: s.p95, p99: s.p99 });
  const result: GateResult = {
    intent,
    passed: failed.length === 0,
    rules: { maxRegression, requireSignificance, tokenStat },
    checks,
    comparison: {
      u: c.test.u,
      pValue: c.test.pValue,
      method: c.test.method,
      significant: c.significant,
      before: pick(c.before),
      after: pick(c.after),
      p95Change: c.p95Change,
    },
  };

  if (opts.json) {
    io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    const width = Math.max(...checks.map((k) => k.name.length));
    const lines = [`Gate for intent ${intent}: candidate ${opts.candidate} vs baseline ${opts.baseline} (α = ${alpha})`];
    for (const k of checks) lines.push(`${k.status.toUpperCase().padEnd(4)}  ${k.name.padEnd(width)}  ${k.detail}`);
    const counted = checks.filter((k) => k.status !== 'skip').length;
    lines.push(
      result.passed
        ? `Passed: ${counted} of ${counted} checks passed.`
        : `Blocked: ${failed.length} of ${counted} checks failed (${failed.map((k) => k.name).join(', ')}).`,
    );
    io.stdout.write(lines.join('\n') + '\n');
  }
  return result.passed ? 0 : 1;
}
