// The recovery watch as the engineer reads it: each watched probe from its value at the fix to
// now against its healthy side, a sparkline of the polls, and how long since the fix —
// "recovering: ✗ First-token latency p95 2,310 → 1,640 ms (healthy < 2,000) ▇▆▄ 6 min after
// ecs.set-env" — then how it ended and what is offered.
import type { ChalkInstance } from 'chalk';
import { fmtSpan } from '../core/time.js';
import type { RecoveryEnded, RecoveryReading, RecoveryStarted } from '../events/events.js';
import { healthyText } from './card.js';
import { formatValue } from './format.js';
import { scaleOf, sparkline } from './sparkline.js';

/** 45 s, 6 min, 1.5 h: under a minute in seconds (fmtSpan would round it to 0 or 1 min). */
export function span(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : fmtSpan(ms);
}

const value = (v: RecoveryReading['last'], unit?: string) => (v === undefined ? '?' : formatValue(v, unit));

/** One probe: mark, label, value at the fix → now, healthy side, sparkline. */
export function readingText(r: RecoveryReading, c: ChalkInstance): string {
  const mark = r.last === undefined ? c.yellow('?') : r.healthy ? c.green('✓') : c.red('✗');
  const from = r.atFix !== undefined && r.atFix !== r.last ? `${value(r.atFix)} → ` : '';
  const now = r.last === undefined ? `no data (${r.reason ?? 'not read'})` : value(r.last, r.unit);
  const spark = r.values.length > 1 ? ` ${sparkline(r.values, 16, scaleOf(r.values.slice(-16), typeof r.value === 'number' ? r.value : undefined))}` : '';
  return `${mark} ${r.label} ${from}${now} (${healthyText({ op: r.op, value: r.value }, r.unit)})${spark}`;
}

export function readingsText(rs: RecoveryReading[], c: ChalkInstance): string {
  return rs.map((r) => readingText(r, c)).join('; ');
}

/** What the watch watches, for how long. */
export function startedText(e: RecoveryStarted): string {
  const what = e.probes.map((r) => `${r.label} ${healthyText({ op: r.op, value: r.value }, r.unit).replace(/^healthy /, '')}`).join(' and ');
  const whose = e.from === 'alarm' ? " (the alarm's probe)" : '';
  const clock = e.simulated ? ' on the simulated clock' : '';
  return `watching recovery after step ${e.step} ${e.action}: ${what}${whose}, every ${span(e.intervalMs)} for up to ${span(e.withinMs)}${clock}`;
}

/** How the watch ended, then the offers, one line each. */
export function endedLines(e: RecoveryEnded, c: ChalkInstance): string[] {
  const r = e.result;
  const probes = readingsText(r.probes, c);
  const head =
    r.status === 'recovered'
      ? c.green(`✓ recovered ${span(r.after * 1000)} after ${r.action}`)
      : r.status === 'worse'
        ? c.red(`✗ worse ${span(r.after * 1000)} after ${r.action}`) + ' (further from healthy than at the fix, two polls in a row)'
        : c.red(`✗ not recovered within ${span(r.within * 1000)} of ${r.action}`);
  const lines = [`${head}: ${probes}`];
  if (r.status === 'recovered') return lines;
  if (e.autoUndo) lines.push(c.yellow(`worse, and ${e.autoUndo}: applying its undo now`));
  else if (e.ask && e.undo) lines.push(`the recorded undo, offered now: ${e.undo.text ?? e.undo.action}`);
  else if (e.undo && e.live) lines.push(`undo: mangaops undo ${e.incident} ${r.step}  (${e.undo.text ?? e.undo.action})`);
  else if (e.undo) lines.push(`the recorded undo: ${e.undo.text ?? e.undo.action}`);
  else lines.push('no recorded undo for this fix');
  lines.push(e.next ? `next fix: ${e.next}` : 'no further fix at this outcome: escalate with the evidence above');
  return lines;
}
