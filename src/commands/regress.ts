// `mangaops regress`: did the change make it slower? A Mann-Whitney U test between a before
// and an after sample — two files, or two CloudWatch windows of one probe — printed as the
// seed's comparison table with a verdict and a severity. Exit 0: no significant regression;
// 1: regression found; bad input throws a UsageError (exit 2).
import type { Io } from '../core/io.js';
import { UsageError } from '../core/errors.js';
import { assertDecidable, compareSamples, isRegression, SEV2_P95_INCREASE, severity, type Comparison, type Severity } from '../stats/compare.js';
import type { Summary } from '../stats/describe.js';
import { formatChange, formatFraction, formatP, formatValue, renderTable } from '../stats/format.js';
import { alternatives, methods, type Alternative, type Method } from '../stats/mannwhitney.js';
import { readSamples } from '../stats/samples.js';
import type { SeriesQuery, SeriesSource } from '../stats/series-source.js';
import { parseWindow, type Window } from '../stats/window.js';

export interface RegressOptions {
  /** Sample files (one number per line, a CSV column, or a JSON array). */
  before?: string;
  after?: string;
  /** The CSV column of the latency files: a header name or a 1-based position. */
  column?: string;
  /** Optional first-token latency samples, shown as a "first-token p95" row. */
  beforeFirstToken?: string;
  afterFirstToken?: string;
  firstTokenColumn?: string;
  /** Optional tokens-per-response samples, shown as a "tokens/response" row (means). */
  beforeTokens?: string;
  afterTokens?: string;
  tokensColumn?: string;
  /** CloudWatch mode: a probe id (a `metric` or `regress` probe of the runbooks) … */
  metric?: string;
  /** … and its two windows, `FROM..TO` (ISO, relative like -3h..-1h, or …..now). */
  beforeWindow?: string;
  afterWindow?: string;
  /** The queries the probe ids name; the caller passes the loaded runbooks' probes. */
  probes?: Record<string, SeriesQuery>;
  /** Where CloudWatch windows come from; injected (the live adapter, or a fake in tests). */
  series?: SeriesSource;
  /** auto (default: SciPy's rule) | exact | asymptotic. */
  method?: Method;
  /** Default 'greater': the after sample is slower. */
  alternative?: Alternative;
  /** Significance level, default 0.05. */
  alpha?: number;
  /** Row label of the main metric; default "latency" (files) or the probe id (CloudWatch). */
  label?: string;
  /** Unit of the main metric and first-token samples; default "ms". */
  unit?: string;
  /** Print only the result object on stdout. */
  json?: boolean;
}

type Percentiles = Pick<Summary, 'n' | 'p50' | 'p95' | 'p99' | 'mean'>;

/** The `--json` object. */
export interface RegressResult {
  source: 'files' | 'cloudwatch';
  u: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  alternative: Alternative;
  alpha: number;
  significant: boolean;
  /** Significant, and the after sample leans slower. */
  regression: boolean;
  before: Percentiles;
  after: Percentiles;
  p50Change: number | null;
  p95Change: number | null;
  p99Change: number | null;
  effectSize: { cliffsDelta: number; magnitude: string };
  severity: Severity | null;
  verdict: string;
  /** CloudWatch mode: what the samples are (per-period values, not requests). */
  samples?: { kind: 'per-period'; probe: string; query: SeriesQuery; before: { from: string; to: string }; after: { from: string; to: string } };
  firstToken?: ExtraResult;
  tokens?: ExtraResult;
}

interface ExtraResult {
  before: Percentiles;
  after: Percentiles;
  p95Change: number | null;
  meanChange: number | null;
  u: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  significant: boolean;
}

interface Loaded {
  before: number[];
  after: number[];
  beforeName: string;
  afterName: string;
  samples?: RegressResult['samples'];
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} ${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
}

export function checkAlpha(alpha: number | undefined): number {
  const a = alpha ?? 0.05;
  if (!(a > 0 && a < 1)) throw new UsageError(`--alpha ${alpha}: a significance level is between 0 and 1, e.g. 0.05`);
  return a;
}

async function pair(beforeFile: string | undefined, afterFile: string | undefined, flags: [string, string], column?: string) {
  if (!beforeFile && !afterFile) return undefined;
  if (!beforeFile || !afterFile) {
    throw new UsageError(`${beforeFile ? flags[0] : flags[1]} needs ${beforeFile ? flags[1] : flags[0]} too: the test compares two samples`);
  }
  const opts = column !== undefined ? { column } : {};
  const [b, a] = await Promise.all([readSamples(beforeFile, opts), readSamples(afterFile, opts)]);
  return { before: b.values, after: a.values, beforeName: beforeFile, afterName: afterFile };
}

async function fromCloudWatch(opts: RegressOptions, io: Io): Promise<Loaded> {
  const probe = opts.metric!;
  if (!opts.beforeWindow || !opts.afterWindow) {
    throw new UsageError(`--metric ${probe} needs --before-window and --after-window`, 'for example --before-window -3h..-1h --after-window -1h..now');
  }
  const query = opts.probes?.[probe];
  if (!query) {
    const known = Object.keys(opts.probes ?? {}).sort();
    throw new UsageError(`--metric ${JSON.stringify(probe)}: no such metric probe in the runbooks`, known.length ? `known probes: ${known.join(', ')}` : undefined);
  }
  if (!opts.series) throw new Error('regress: CloudWatch windows need a SeriesSource (the caller wires the live adapter)');
  const now = io.now();
  const bw = parseWindow(opts.beforeWindow, now, '--before-window');
  const aw = parseWindow(opts.afterWindow, now, '--after-window');
  if (bw.from < aw.to && aw.from < bw.to) {
    throw new UsageError(
      `the windows overlap (before ${span(bw)}, after ${span(aw)}): the test needs two independent samples`,
      'end the before window where the after window starts, e.g. -3h..-1h and -1h..now',
    );
  }
  const [before, after] = await Promise.all([opts.series.series(query, bw.from, bw.to), opts.series.series(query, aw.from, aw.to)]);
  for (const [name, w, values] of [['before', bw, before], ['after', aw, after]] as const) {
    if (values.length === 0) {
      throw new UsageError(`CloudWatch has no ${query.namespace}/${query.metric} ${query.stat} datapoints in the ${name} window ${span(w)}`, 'check the window and the probe\'s dimensions');
    }
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new UsageError(`the ${name} window's datapoint ${bad + 1} is ${values[bad]}, not a number`);
  }
  return {
    before,
    after,
    beforeName: `${span(bw)}`,
    afterName: `${span(aw)}`,
    samples: { kind: 'per-period', probe, query, before: iso(bw), after: iso(aw) },
  };
}

const span = (w: Window) => `${w.from.toISOString()}..${w.to.toISOString()}`;
const iso = (w: Window) => ({ from: w.from.toISOString(), to: w.to.toISOString() });

function percentiles(s: Summary): Percentiles {
  return { n: s.n, p50: s.p50, p95: s.p95, p99: s.p99, mean: s.mean };
}

function extra(c: Comparison): ExtraResult {
  return {
    before: percentiles(c.before),
    after: percentiles(c.after),
    p95Change: c.p95Change,
    meanChange: c.meanChange,
    u: c.test.u,
    pValue: c.test.pValue,
    method: c.test.method,
    significant: c.significant,
  };
}

function verdictOf(c: Comparison, sev: Severity | null): string {
  const p = `${formatP(c.test.pValue, c.alpha)}, ${c.significant ? 'below' : 'not below'} α = ${c.alpha}`;
  const p95 = `p95 ${formatChange(c.p95Change)}`;
  if (isRegression(c)) {
    const rule = sev === 'SEV-2' ? `> ${formatFraction(SEV2_P95_INCREASE)}` : `≤ ${formatFraction(SEV2_P95_INCREASE)}`;
    return `significant regression (${p}); ${p95} ${rule}: ${sev}`;
  }
  if (c.significant) return `significantly faster (${p}); ${p95}: no regression`;
  return `no significant regression (${p}); ${p95} is within noise`;
}

export async function regress(opts: RegressOptions, io: Io): Promise<number> {
  const alternative = oneOf(opts.alternative, alternatives, '--alternative', 'greater');
  const method = oneOf(opts.method, methods, '--method', 'auto');
  const alpha = checkAlpha(opts.alpha);
  const unit = opts.unit ?? 'ms';
  const fromFiles = opts.before !== undefined || opts.after !== undefined;
  if (fromFiles && opts.metric !== undefined) {
    throw new UsageError('give either --before/--after files or --metric with two windows, not both');
  }
  if (!fromFiles && opts.metric === undefined) {
    throw new UsageError('nothing to compare', 'pass --before FILE --after FILE, or --metric PROBE --before-window FROM..TO --after-window FROM..TO');
  }
  const loaded: Loaded = fromFiles ? (await pair(opts.before, opts.after, ['--before', '--after'], opts.column))! : await fromCloudWatch(opts, io);
  const [firstToken, tokens] = await Promise.all([
    pair(opts.beforeFirstToken, opts.afterFirstToken, ['--before-first-token', '--after-first-token'], opts.firstTokenColumn),
    pair(opts.beforeTokens, opts.afterTokens, ['--before-tokens', '--after-tokens'], opts.tokensColumn),
  ]);

  const label = opts.label ?? opts.metric ?? 'latency';
  const test = { alternative, method, alpha };
  assertDecidable(loaded.before.length, loaded.after.length, alternative, alpha, loaded.samples ? 'periods' : 'samples');
  if (firstToken) assertDecidable(firstToken.before.length, firstToken.after.length, alternative, alpha, 'first-token samples');
  if (tokens) assertDecidable(tokens.before.length, tokens.after.length, alternative, alpha, 'token samples');

  const main = compareSamples(loaded.before, loaded.after, test);
  const ft = firstToken && compareSamples(firstToken.before, firstToken.after, test);
  const tk = tokens && compareSamples(tokens.before, tokens.after, test);
  const sev = severity(main);
  const result: RegressResult = {
    source: loaded.samples ? 'cloudwatch' : 'files',
    u: main.test.u,
    pValue: main.test.pValue,
    method: main.test.method,
    alternative,
    alpha,
    significant: main.significant,
    regression: isRegression(main),
    before: percentiles(main.before),
    after: percentiles(main.after),
    p50Change: main.p50Change,
    p95Change: main.p95Change,
    p99Change: main.p99Change,
    effectSize: { cliffsDelta: main.effectSize, magnitude: main.magnitude },
    severity: sev,
    verdict: verdictOf(main, sev),
    ...(loaded.samples && { samples: loaded.samples }),
    ...(ft && { firstToken: extra(ft) }),
    ...(tk && { tokens: extra(tk) }),
  };

  if (opts.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
  else io.stdout.write(report(result, main, ft, tk, loaded, label, unit));
  return result.regression ? 1 : 0;
}

const ALT_TEXT: Record<Alternative, string> = {
  greater: 'one-sided: is after slower?',
  less: 'one-sided: is after faster?',
  'two-sided': 'two-sided: did it change?',
};

function report(r: RegressResult, main: Comparison, ft: Comparison | undefined, tk: Comparison | undefined, loaded: Loaded, label: string, unit: string): string {
  const lines: string[] = [];
  lines.push(`Mann-Whitney U test, after vs before (${ALT_TEXT[r.alternative]}), ${r.method} p-value, α = ${r.alpha}`);
  if (r.samples) {
    const q = r.samples.query;
    lines.push(`before: ${loaded.beforeName} (${r.before.n} periods)`);
    lines.push(`after:  ${loaded.afterName} (${r.after.n} periods)`);
    lines.push(
      `Samples are per-period values — the ${q.stat} of ${q.namespace}/${q.metric} per ${q.period} s period — not individual requests; the percentiles below are taken across periods.`,
    );
  } else {
    lines.push(`before: ${loaded.beforeName} (${r.before.n} samples)`);
    lines.push(`after:  ${loaded.afterName} (${r.after.n} samples)`);
  }
  lines.push('');
  const sig = `${formatP(r.pValue, main.alpha)} ¹`;
  const rows = [
    ['Metric', 'Before', 'After', 'Change', 'Significance'],
    [`${label} p50`, formatValue(r.before.p50, unit), formatValue(r.after.p50, unit), formatChange(r.p50Change), sig],
    [`${label} p95`, formatValue(r.before.p95, unit), formatValue(r.after.p95, unit), formatChange(r.p95Change), sig],
    [`${label} p99`, formatValue(r.before.p99, unit), formatValue(r.after.p99, unit), formatChange(r.p99Change), sig],
  ];
  if (ft) rows.push(['first-token p95', formatValue(ft.before.p95, unit), formatValue(ft.after.p95, unit), formatChange(ft.p95Change), formatP(ft.test.pValue, ft.alpha)]);
  if (tk) rows.push(['tokens/response', `${formatValue(tk.before.mean)} avg`, `${formatValue(tk.after.mean)} avg`, formatChange(tk.meanChange), formatP(tk.test.pValue, tk.alpha)]);
  lines.push(renderTable(rows).trimEnd());
  lines.push(`¹ one test over all ${label} samples (U = ${r.u}); the percentiles show where the distribution moved.`);
  lines.push('');
  lines.push(`Effect size: Cliff's delta ${main.effectSize >= 0 ? '+' : ''}${main.effectSize.toFixed(2)} (${main.magnitude})`);
  lines.push(`Verdict: ${r.verdict}`);
  lines.push(`Severity: ${r.severity ?? 'none'}`);
  return lines.join('\n') + '\n';
}
