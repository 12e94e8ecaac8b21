// An incident's journal as text (for the terminal) or markdown (a post-incident timeline
// to paste into the review).
import type { Evidence } from '../core/evidence.js';
import type { ApprovalRecord, JournalRecord, LeaseRecord, RecoveryRecord, StartRecord, StepRecord } from './records.js';

const time = (iso: string) => iso.slice(11, 19);
const quoted = (note: string | undefined) => (note ? ` ("${note}")` : '');

function leaseLine(r: LeaseRecord): string {
  const h = r.heldBy;
  const held = h ? `being changed by ${h.holder} (incident ${h.incident}, step ${h.step}: ${h.action}) since ${time(h.since)}, lease until ${time(h.until)}` : '';
  switch (r.status) {
    case 'taken':
      return `lease on ${r.name} (${r.resource}) taken by ${r.by} for step ${r.step} (${r.action})${r.until ? ` until ${time(r.until)}` : ''}`;
    case 'released':
      return `lease on ${r.name} released by ${r.by}`;
    case 'waiting':
      return `step ${r.step} (${r.action}) waits for ${r.name}: ${held}`;
    case 'refused':
      return `step ${r.step} (${r.action}) not applied: ${r.name} is ${held}`;
    case 'lost':
      return `lease on ${r.name} lost by ${r.by}${r.message ? `: ${r.message}` : ''}`;
    case 'unlocked':
      return `WARNING: step ${r.step} (${r.action}) goes on without a lease on ${r.name} (--no-lock)${r.message ? `: ${r.message}` : ''}`;
  }
}

function approvalLine(r: ApprovalRecord): string {
  const what = `step ${r.step} (${r.action})`;
  switch (r.status) {
    case 'requested':
      return `${what} needs ${r.needed} approval${r.needed === 1 ? '' : 's'} from another engineer: requested by ${r.by} (mangaops approve ${r.incident} ${r.step})${r.message ? `; ${r.message}` : ''}`;
    case 'approved':
      return `${what} approved by ${r.by}${quoted(r.note)}`;
    case 'granted':
      return `${what} goes ahead, approved by ${r.approvals.map((a) => `${a.by}${a.step !== r.step ? ` (step ${a.step})` : ''}${quoted(a.note)}`).join(', ')}`;
  }
}

function evidenceLine(id: string, e: Evidence): string {
  return e.status === 'ok' ? `${id} = ${String(typeof e.value === 'number' ? Math.round(e.value * 1000) / 1000 : e.value)}${e.partial ? ' (partial)' : ''}` : `${id}: no data (${e.reason})`;
}

function stepLine(r: StepRecord): string {
  const what = r.action ? `${r.action} — ${r.text}` : r.text;
  const err = r.error ? `: ${r.error}` : '';
  const changed = r.changed?.length ? `; changed: ${r.changed.join(', ')}` : '';
  const unchanged = r.unchanged?.length ? `; NOT changed: ${r.unchanged.join(', ')}` : '';
  const undo = r.undo ? `; undo: ${r.undo.text ?? r.undo.action} (mangaops undo ${r.incident} ${r.step})` : '';
  return `step ${r.step} ${r.status}: ${what}${err}${changed}${unchanged}${undo}`;
}

const num = (v: unknown) => (typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v));

function recoveryLine(r: RecoveryRecord): string {
  const probes = r.probes.map((p) => `${p.probe} ${p.atFix !== undefined ? num(p.atFix) : '?'}${p.last !== undefined ? ` → ${num(p.last)}` : ''} (healthy ${p.op} ${num(p.value)})`).join(', ');
  const sim = r.simulated ? ', simulated' : '';
  if (r.status === 'watching') return `watching recovery after step ${r.step} ${r.action} (${r.outcome}): ${probes}, for up to ${num(r.within)} s${sim}`;
  const how = r.status === 'recovered' ? `recovered ${num(r.after)} s after` : r.status === 'worse' ? `worse ${num(r.after)} s after` : `not recovered within ${num(r.within)} s of`;
  return `${how} step ${r.step} ${r.action}: ${probes}${sim}`;
}

function line(r: JournalRecord): string | undefined {
  switch (r.type) {
    case 'start':
      return `${r.mode} of ${r.runbook} started by ${r.who}@${r.host} on ${r.source}`;
    case 'evidence': {
      const all = Object.values(r.evidence);
      const missing = all.filter((e) => e.status !== 'ok').length;
      return `evidence gathered: ${all.length - missing}/${all.length} probes answered in ${r.ms} ms`;
    }
    case 'node':
      if (r.nodeType === 'decision') {
        const who =
          r.by === 'override' ? `overruled by the engineer (evidence said "${r.suggested}")` : r.answeredBy === 'drill case' ? 'answered by the drill case' : r.answeredBy === '--answer' ? 'answered with --answer' : r.by === 'human' ? 'answered by the engineer' : 'by the evidence';
        return `${r.text} → "${r.answer}" — ${who}${r.reason ? `; ${r.reason}` : ''}`;
      }
      return r.nodeType === 'outcome' ? `DIAGNOSIS: ${r.text}` : r.text;
    case 'step':
      return stepLine(r);
    case 'end':
      return `ended: ${r.status}${r.outcomeTitle ? ` — ${r.outcomeTitle}` : ''}${r.message ? ` (${r.message})` : ''}`;
    case 'resume':
      return r.take ? `taken over by ${r.who}@${r.host} from ${r.take.from}: ${r.take.reason}` : `resumed by ${r.who}@${r.host}`;
    case 'lease':
      return leaseLine(r);
    case 'approval':
      return approvalLine(r);
    case 'handover':
      return `handed over by ${r.from} to ${r.to}${quoted(r.note)}`;
    case 'recovery':
      return recoveryLine(r);
  }
}

/** One record as the text timeline shows it (`mangaops follow` prints these as they come). */
export function renderLine(r: JournalRecord): string {
  return `${time(r.at)}  ${line(r)}`;
}

/** The text timeline's first line. */
export function renderHead(start: StartRecord): string {
  return `incident ${start.incident} · ${start.runbook} · ${start.mode}${start.drillCase ? ` (case ${start.drillCase})` : ''}`;
}

export function renderText(records: JournalRecord[]): string {
  const start = records.find((r): r is StartRecord => r.type === 'start');
  const head = start ? `${renderHead(start)}\n` : '';
  return head + records.map(renderLine).join('\n') + '\n';
}

export function renderMarkdown(records: JournalRecord[]): string {
  const start = records.find((r): r is StartRecord => r.type === 'start');
  const end = [...records].reverse().find((r) => r.type === 'end');
  const out: string[] = [];
  out.push(`# Incident ${start?.incident ?? records[0]?.incident ?? ''}`);
  out.push('');
  if (start) {
    out.push(`- **Runbook:** ${start.runbook} (\`${start.runbookFile}\`, sha256 ${start.runbookHash.slice(0, 12)})`);
    out.push(`- **Mode:** ${start.mode}${start.drillCase ? ` — drill case \`${start.drillCase}\`` : ''}`);
    out.push(`- **On call:** ${start.who}@${start.host}`);
    out.push(`- **Evidence from:** ${start.source}`);
    out.push(`- **Started:** ${start.at}`);
  }
  if (end?.type === 'end') {
    out.push(`- **Ended:** ${end.at} — ${end.status}${end.outcomeTitle ? `: ${end.outcomeTitle}` : ''}`);
    out.push(`- **Duration:** ${(end.ms / 1000).toFixed(1)} s`);
  }
  out.push('', '## Timeline', '', '| time (UTC) | event |', '|---|---|');
  for (const r of records) {
    const text = line(r);
    if (text) out.push(`| ${time(r.at)} | ${text.replace(/\|/g, '\\|')} |`);
  }
  const evidence = records.find((r) => r.type === 'evidence');
  if (evidence?.type === 'evidence') {
    out.push('', '## Evidence at the time', '');
    for (const [id, e] of Object.entries(evidence.evidence)) out.push(`- ${evidenceLine(id, e)}`);
  }
  const steps = records.filter((r): r is StepRecord => r.type === 'step' && r.action !== undefined);
  if (steps.length) {
    out.push('', '## Actions', '');
    for (const s of steps) out.push(`- ${stepLine(s)}`);
  }
  const approvals = records.filter((r): r is ApprovalRecord => r.type === 'approval');
  if (approvals.length) {
    out.push('', '## Approvals', '');
    for (const a of approvals) out.push(`- ${a.at.slice(0, 19).replace('T', ' ')} UTC — ${approvalLine(a)}`);
  }
  return out.join('\n') + '\n';
}
