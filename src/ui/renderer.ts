// The terminal as a subscriber: each event of the walk and the runner drawn as the engineer
// reads it — gathering progress, the card at each node, the plan before a fix, its result. The
// report goes to the screen's report stream (stdout), progress to stderr (ui/screen.ts). The
// only place that knows how anything looks; the core only says what happened.
import type { EvidenceMap } from '../core/evidence.js';
import type { WalkEvent } from '../events/events.js';
import type { Runbook } from '../runbook/schema.js';
import { seconds } from '../capabilities/wait.js';
import { renderDecisionCard, renderStepCard } from './card.js';
import { groupedFailures } from './failures.js';
import { renderOutcomeHeader, renderPrevention, renderTierHeading } from './outcome-view.js';
import { renderPlan } from './plan-view.js';
import { endedLines, readingsText, span, startedText } from './recovery-view.js';
import { paints, type Screen } from './screen.js';
import { width, wrap } from './wrap.js';

export function terminalRenderer(screen: Screen, runbook?: Runbook): (event: WalkEvent) => void {
  const { c, p } = paints(screen);
  // On a terminal, progress is one line rewritten in place; it is cleared before anything
  // else is written, so the report never lands on its tail.
  let openLine = false;
  const clear = () => {
    if (openLine) screen.progress.write('\r\x1b[2K');
    openLine = false;
  };
  const out = (s: string) => (clear(), screen.report.write(s));
  const note = (s: string) => (clear(), screen.progress.write(s));
  const rewrite = (line: string) => {
    const plain = line.replace(/\x1b\[[0-9;]*m/g, '');
    screen.progress.write(`\r\x1b[2K${width(line) < screen.columns ? line : plain.slice(0, screen.columns - 2) + '…'}`);
    openLine = true;
  };
  // Without a terminal, progress is a few milestones: the first line, then one a while.
  const MILESTONE_MS = 30_000;
  const lastMilestone = new Map<number, { kind: string; ms: number }>();
  let evidence: EvidenceMap = {};
  let source = '';
  let incident = '';
  const lastProgress = new Map<number, string>();
  // Probes drawn in full on this screen: the next time they are one line.
  const drawn = new Set<string>();
  // The recovery watch in a log: its first poll, each turn between healthy and not, and one
  // line every few minutes of watch time (simulated minutes in a drill).
  const WATCH_MILESTONE_MS = 5 * 60_000;
  let watchNoted: { healthy: boolean; ms: number } | undefined;

  const progress = (done: number, total: number, pending: string[]) => {
    const names = pending.slice(0, 4).join(', ') + (pending.length > 4 ? `, +${pending.length - 4}` : '');
    rewrite(`gathering evidence from ${source}: ${done}/${total}${pending.length ? ` (waiting for ${names})` : ''}`);
  };

  return (e) => {
    switch (e.type) {
      case 'evidence.started':
        source = e.source;
        if (screen.interactive) progress(0, e.ids.length, e.ids);
        else note(`gathering ${e.ids.length} probes from ${e.source}\n`);
        return;
      case 'evidence.settled':
        if (screen.interactive) progress(e.total - e.pending.length, e.total, e.pending);
        return;
      case 'evidence.gathered': {
        evidence = e.evidence;
        const all = Object.values(e.evidence);
        const missing = all.filter((x) => x.status !== 'ok').length;
        out(`evidence: ${all.length - missing} of ${all.length} probes answered${missing ? `, ${missing} without data` : ''} (${e.ms} ms)\n`);
        for (const g of groupedFailures(e.evidence)) out(c.yellow(wrap(`! ${g.count} probes: ${g.reason}${g.hint ? ` — ${g.hint}` : ''}`, screen.columns, '', '  ')) + '\n');
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
        if (node.type === 'step') out(e.replayed ? c.dim(wrap(`· ${node.text}`, screen.columns, '', '  ') + '\n') : renderStepCard(runbook, e.node, node, evidence, c, screen.columns, drawn));
        else if (node.type === 'outcome') out(renderOutcomeHeader(e.node, node, c, screen.columns));
        else if (e.suggestion) out(renderDecisionCard(runbook, e.node, node, evidence, e.suggestion, c, screen.columns, drawn, e.observation));
        return;
      }
      case 'node.decided': {
        const entry = e.entry;
        if (e.replayed) out('\n' + c.dim(wrap(`? ${entry.question} → "${entry.answer}" (recorded before the interruption)`, screen.columns, '', '  ')) + '\n');
        else if (entry.by === 'override') out(c.yellow(wrap(`overruled: "${entry.answer}" instead of "${entry.suggested}" (journaled)`, screen.columns, '  ', '    ')) + '\n');
        // The prompt shows a human's answer on stderr; the report (maybe a file) keeps it too.
        else if (entry.by === 'human') out(wrap(`→ answered ${c.bold(`"${entry.answer}"`)}${e.answeredBy === 'drill case' ? " (the case's answer)" : e.answeredBy === '--answer' ? ' (--answer)' : ''}`, screen.columns, '  ', '    ') + '\n');
        return;
      }
      case 'outcome.tier':
        out(renderTierHeading({ tier: e.tier, timeframe: e.timeframe }, c));
        return;
      case 'outcome.step':
        out(wrap(`- ${e.text}`, screen.columns, '    ', '      ') + '\n');
        if (e.done) out(c.dim(`      (${e.done} before the interruption; not offered again)\n`));
        return;
      case 'outcome.done': {
        const node = runbook?.nodes[e.node];
        if (node?.type === 'outcome') out(renderPrevention(node, c, screen.columns));
        return;
      }
      case 'step.planned':
        incident = e.incident;
        out(renderPlan(e.shown, { color: screen.color, columns: screen.columns, force: e.force, step: e.live ? e.step : undefined, incident: e.live ? e.incident : undefined }));
        return;
      case 'step.held':
        out(c.dim(`  ${e.mode === 'drill' ? 'Drill' : 'Dry run'}: planned only, nothing was changed.\n`));
        return;
      case 'step.declined':
        // A drill applies nothing anyway; a "no" at a real fix is worth a line.
        if (!e.error && !(e.detail as { drill?: string } | undefined)?.drill) out('  Not applied: nothing was changed.\n');
        return;
      case 'step.confirmed': {
        const detail = e.detail as { by?: string; drill?: string } | undefined;
        if (detail?.by === '--yes') out(c.dim('  Confirmed by --yes.\n'));
        // A drill's yes moves its world (the next lines watch it); nothing real is touched.
        else if (detail?.drill) out(c.dim(wrap(`Drill: ${detail.drill}.`, screen.columns, '  ', '    ')) + '\n');
        return;
      }
      case 'step.progress': {
        if (lastProgress.get(e.step) === e.message) return;
        lastProgress.set(e.step, e.message);
        if (screen.interactive) return rewrite(p.dim(`    … ${e.message}`));
        // In a log, a new kind of message (re-reading after a lost reply) shows at once; the
        // same message with new figures ("waiting … 10 s", "… 15 s") only at milestones.
        const kind = e.message.replace(/[\d.,]+/g, '#');
        const last = lastMilestone.get(e.step);
        if (last && last.kind === kind && e.elapsedMs - last.ms < MILESTONE_MS) return;
        lastMilestone.set(e.step, { kind, ms: e.elapsedMs });
        note(p.dim(`    … ${e.message}\n`));
        return;
      }
      case 'step.applied':
        out(c.green(`  ✓ applied\n`));
        for (const line of e.changed ?? []) out(wrap(line, screen.columns, '    ', '      ') + '\n');
        return;
      case 'step.verifying':
        note(p.dim(`  verifying (up to ${seconds(e.deadlineMs)})…\n`));
        return;
      case 'step.verified':
        out(c.green(wrap(`✓ verified: ${(e.detail as { observed?: string }).observed}`, screen.columns, '  ', '    ')) + '\n');
        if (e.undo) out(c.dim(`  undo: mangaops undo ${incident} ${e.step}\n`));
        return;
      case 'step.failed':
        if (e.phase === 'apply') {
          out(c.red(wrap(`✗ ${e.action} failed: ${e.error}`, screen.columns, '  ', '    ')) + '\n');
          for (const line of e.changed ?? []) out(wrap(`changed:     ${line}`, screen.columns, '    ', '                 ') + '\n');
          for (const line of e.unchanged ?? []) out(wrap(`not changed: ${line}`, screen.columns, '    ', '                 ') + '\n');
        } else if (e.phase === 'verify') {
          out(c.red(wrap(`✗ ${e.error}`, screen.columns, '  ', '    ')) + '\n');
          if (e.undo) out(`  undo: mangaops undo ${incident} ${e.step}\n`);
        } else if (e.phase === 'params') {
          out(c.red(wrap(`✗ ${e.error}`, screen.columns, '    ', '      ')) + '\n');
        }
        return;
      case 'step.refused':
        out(c.red(wrap(`✗ ${e.message}`, screen.columns, '    ', '      ')) + '\n' + (e.hint ? wrap(e.hint, screen.columns, '      ') + '\n' : ''));
        return;
      case 'lease': {
        const until = (iso?: string) => (iso ? `${iso.slice(11, 19)} UTC` : '?');
        const h = e.heldBy;
        if (e.status === 'taken') out(c.dim(`  lease on ${e.name} taken (until ${until(e.until)}, renewed while the step runs)\n`));
        else if (e.status === 'released') out(c.dim(`  lease on ${e.name} released\n`));
        else if (e.status === 'waiting' && h)
          out(c.yellow(wrap(`${e.name} is being changed by ${h.holder} (incident ${h.incident}, step ${h.step}: ${h.action}) since ${until(h.since)}; lease until ${until(h.until)} — ${e.message ?? 'waiting'}`, screen.columns, '  ', '    ')) + '\n');
        else if (e.status === 'lost') out(c.red(wrap(`! lease on ${e.name} lost: ${e.message ?? ''}`, screen.columns, '  ', '    ')) + '\n');
        else if (e.status === 'unlocked') out(c.yellow(wrap(`! no lease on ${e.name}: ${e.message ?? 'the team table cannot be reached'}; going on without one (--no-lock, journaled)`, screen.columns, '  ', '    ')) + '\n');
        return;
      }
      case 'approval':
        if (e.status === 'granted') out(c.green(wrap(`✓ approved by ${e.approvals.map((a) => `${a.by}${a.note ? ` ("${a.note}")` : ''}`).join(', ')}`, screen.columns, '  ', '    ')) + '\n');
        else out(c.yellow(wrap(`Waiting for approval: ${e.action} needs ${e.needed} from another engineer (config approvals)${e.message ? `; ${e.message}` : ''}.`, screen.columns, '  ', '    ')) + '\n');
        return;
      case 'recovery.skipped':
        out(c.dim(wrap(`recovery not watched: ${e.reason}`, screen.columns, '  ', '    ')) + '\n');
        return;
      case 'recovery.started':
        watchNoted = undefined;
        out(wrap(startedText(e), screen.columns, '  ', '    ') + '\n');
        return;
      case 'recovery.poll': {
        const line = `recovering: ${readingsText(e.probes, p)} ${span(e.elapsedMs)} after ${e.action}`;
        if (screen.interactive) return rewrite(`  ${line}`);
        if (watchNoted && watchNoted.healthy === e.healthy && e.elapsedMs - watchNoted.ms < WATCH_MILESTONE_MS) return;
        watchNoted = { healthy: e.healthy, ms: e.elapsedMs };
        note(wrap(line, screen.columns, '  ', '    ') + '\n');
        return;
      }
      case 'recovery.ended': {
        const [head, ...offers] = endedLines(e, c);
        out(wrap(head!, screen.columns, '  ', '    ') + '\n');
        for (const line of offers) out(wrap(line, screen.columns, '    ', '      ') + '\n');
        return;
      }
      case 'recovery.undone':
        if (e.status === 'confirmed') out(c.green(`    ✓ step ${e.step} undone in the drill's world (step ${e.undoStep})\n`));
        return;
      case 'incident.interrupted':
        note(`\nInterrupted. The journal is consistent; continue with:\n  mangaops resume ${e.incident}\n`);
        return;
    }
  };
}
