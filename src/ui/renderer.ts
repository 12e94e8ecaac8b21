// The terminal as a subscriber: each event of the walk and the runner drawn as the engineer
// reads it — gathering progress, the card at each node, the plan before a fix, its result. The
// only place that knows how anything looks; the core only says what happened.
import type { EvidenceMap } from '../core/evidence.js';
import type { Io } from '../core/io.js';
import type { WalkEvent } from '../events/events.js';
import type { Runbook } from '../runbook/schema.js';
import { renderDecisionCard, renderStepCard } from './card.js';
import { renderOutcomeHeader, renderPrevention, renderTierHeading } from './outcome-view.js';
import { renderPlan } from './plan-view.js';
import { style } from './style.js';
import { wrap } from './wrap.js';
import { seconds } from '../capabilities/wait.js';

export function terminalRenderer(io: Pick<Io, 'stderr' | 'color' | 'columns' | 'interactive'>, runbook?: Runbook): (event: WalkEvent) => void {
  const c = style(io.color);
  const out = (s: string) => io.stderr.write(s);
  let evidence: EvidenceMap = {};
  let source = '';
  let incident = '';
  const lastProgress = new Map<number, string>();

  const progress = (done: number, total: number, pending: string[]) => {
    const names = pending.slice(0, 4).join(', ') + (pending.length > 4 ? `, +${pending.length - 4}` : '');
    const line = `gathering evidence from ${source}: ${done}/${total}${pending.length ? ` (waiting for ${names})` : ''}`;
    out(`\r\x1b[2K${line.length < io.columns ? line : line.slice(0, io.columns - 2) + '…'}`);
  };

  return (e) => {
    switch (e.type) {
      case 'evidence.started':
        source = e.source;
        if (io.interactive) progress(0, e.ids.length, e.ids);
        else out(`gathering ${e.ids.length} probes from ${e.source}\n`);
        return;
      case 'evidence.settled':
        if (io.interactive) progress(e.total - e.pending.length, e.total, e.pending);
        return;
      case 'evidence.gathered': {
        evidence = e.evidence;
        if (io.interactive) out('\n');
        const all = Object.values(e.evidence);
        const missing = all.filter((x) => x.status !== 'ok').length;
        out(`evidence: ${all.length - missing} of ${all.length} probes answered${missing ? `, ${missing} without data` : ''} (${e.ms} ms)\n`);
        return;
      }
      case 'incident.started':
      case 'incident.resumed':
        incident = e.incident;
        if (e.type === 'incident.resumed') evidence = e.evidence;
        return;
      case 'node.entered': {
        if (!runbook) return;
        const node = runbook.nodes[e.node]!;
        if (node.type === 'step') out(e.replayed ? c.dim(`· ${node.text}\n`) : renderStepCard(runbook, e.node, node, evidence, c, io.columns));
        else if (node.type === 'outcome') out(renderOutcomeHeader(e.node, node, c, io.columns));
        else if (e.suggestion) out(renderDecisionCard(runbook, e.node, node, evidence, e.suggestion, c, io.columns));
        return;
      }
      case 'node.decided': {
        const p = e.entry;
        if (e.replayed) out(c.dim(`\n? ${p.question} → "${p.answer}" (recorded before the interruption)\n`));
        else if (p.by === 'override') out(c.yellow(`  overruled: "${p.answer}" instead of "${p.suggested}" (journaled)\n`));
        return;
      }
      case 'outcome.tier':
        out(renderTierHeading({ tier: e.tier, timeframe: e.timeframe }, c));
        return;
      case 'outcome.step':
        out(wrap(`- ${e.text}`, io.columns, '    ', '      ') + '\n');
        if (e.done) out(c.dim(`      (${e.done} before the interruption; not offered again)\n`));
        return;
      case 'outcome.done': {
        const node = runbook?.nodes[e.node];
        if (node?.type === 'outcome') out(renderPrevention(node, c, io.columns));
        return;
      }
      case 'step.planned':
        incident = e.incident;
        out(renderPlan(e.shown, { color: io.color, columns: io.columns, force: e.force, step: e.live ? e.step : undefined, incident: e.live ? e.incident : undefined }));
        return;
      case 'step.held':
        out(c.dim(`  ${e.mode === 'drill' ? 'Drill' : 'Dry run'}: planned only, nothing was changed.\n`));
        return;
      case 'step.declined':
        if (!e.error) out('  Not applied: nothing was changed.\n');
        return;
      case 'step.confirmed':
        if ((e.detail as { by?: string } | undefined)?.by === '--yes') out(c.dim('  Confirmed by --yes.\n'));
        return;
      case 'step.progress':
        if (lastProgress.get(e.step) === e.message) return;
        lastProgress.set(e.step, e.message);
        out(c.dim(`    … ${e.message}\n`));
        return;
      case 'step.applied':
        out(c.green(`  ✓ applied\n`));
        for (const line of e.changed ?? []) out(`    ${line}\n`);
        return;
      case 'step.verifying':
        out(c.dim(`  verifying (up to ${seconds(e.deadlineMs)})…\n`));
        return;
      case 'step.verified':
        out(c.green(`  ✓ verified: ${(e.detail as { observed?: string }).observed}\n`));
        if (e.undo) out(c.dim(`  undo: mangaops undo ${incident} ${e.step}\n`));
        return;
      case 'step.failed':
        if (e.phase === 'apply') {
          out(c.red(`  ✗ ${e.action} failed: ${e.error}\n`));
          for (const line of e.changed ?? []) out(`    changed:     ${line}\n`);
          for (const line of e.unchanged ?? []) out(`    not changed: ${line}\n`);
        } else if (e.phase === 'verify') {
          out(c.red(`  ✗ ${e.error}\n`));
          if (e.undo) out(`  undo: mangaops undo ${incident} ${e.step}\n`);
        } else if (e.phase === 'params') {
          out(c.red(`    ✗ ${e.error}\n`));
        }
        return;
      case 'step.refused':
        out(c.red(`    ✗ ${e.message}\n`) + (e.hint ? `      ${e.hint}\n` : ''));
        return;
      case 'incident.interrupted':
        out(`\nInterrupted. The journal is consistent; continue with:\n  mangaops resume ${e.incident}\n`);
        return;
    }
  };
}
