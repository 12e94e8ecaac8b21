// The journal as a subscriber: each event that is a fact of the incident becomes one record,
// appended and fsynced before the walk goes on. Screen-only events (progress, a card being
// shown, a tier heading) are not journaled; nor are nodes replayed on resume, already there.
import { isStepEvent, statusOf, type WalkEvent } from '../events/events.js';
import type { Journal } from './journal.js';

export function journalWriter(journal: Journal): (event: WalkEvent) => void {
  return (e) => {
    if (isStepEvent(e)) {
      const { step, node, text, action, params, plan, detail, undo, error, changed, unchanged, ms } = e;
      journal.append({ type: 'step', step, node, action, params, text, status: statusOf(e), ms, plan, detail, undo, error, changed, unchanged });
      return;
    }
    switch (e.type) {
      case 'incident.started': {
        const { type: _t, incident: _i, drillCase, ...rest } = e;
        journal.append({ type: 'start', ...rest, ...(drillCase !== undefined && { drillCase }) });
        return;
      }
      case 'incident.resumed':
        return void journal.append({ type: 'resume', who: e.who, host: e.host, ...(e.take && { take: e.take }) });
      case 'lease': {
        const { type: _t, ...rest } = e;
        return void journal.append({ type: 'lease', ...rest });
      }
      case 'approval': {
        const { type: _t, ...rest } = e;
        return void journal.append({ type: 'approval', ...rest });
      }
      case 'evidence.gathered':
        return void journal.append({ type: 'evidence', evidence: e.evidence, ms: e.ms });
      case 'node.entered':
        if (e.nodeType === 'decision' || e.replayed) return;
        return void journal.append({ type: 'node', node: e.node, nodeType: e.nodeType, text: e.text });
      case 'node.decided': {
        if (e.replayed) return;
        const p = e.entry;
        journal.append({
          type: 'node',
          node: p.node,
          nodeType: 'decision',
          text: p.question,
          answer: p.answer,
          by: p.by,
          suggested: p.suggested,
          reason: p.reason,
          ...(e.answeredBy && { answeredBy: e.answeredBy }),
        });
        return;
      }
      case 'recovery.started':
        return void journal.append({
          type: 'recovery',
          step: e.step,
          action: e.action,
          outcome: e.outcome,
          status: 'watching',
          within: e.withinMs / 1000,
          interval: e.intervalMs / 1000,
          ...(e.simulated && { simulated: true }),
          fixAt: new Date(e.fixAt).toISOString(),
          probes: e.probes.map(({ probe, label, unit, op, value, atFix }) => ({ probe, label, unit, op, value, atFix })),
        });
      case 'recovery.ended': {
        const r = e.result;
        journal.append({
          type: 'recovery',
          step: r.step,
          action: r.action,
          outcome: r.outcome,
          status: r.status,
          after: r.after,
          within: r.within,
          polls: r.polls,
          ...(r.simulated && { simulated: true }),
          fixAt: new Date(r.fixAt).toISOString(),
          probes: r.probes.map(({ probe, label, unit, op, value, atFix, last, values }) => ({ probe, label, unit, op, value, atFix, last, values })),
        });
        return;
      }
      case 'incident.ended': {
        const { type: _t, ...rest } = e;
        journal.append({ type: 'end', ...rest });
        return;
      }
    }
  };
}
