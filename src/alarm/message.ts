// The one chat message of a pre-diagnosis: the alarm, the outcome or the open question, the
// three most decisive evidence values against their thresholds, what was applied under
// autoApply and what is held for a human, and the command that continues:
// `mangaops resume <incident>`. Slack incoming-webhook JSON (`text` for notifications,
// `blocks` for the channel), and the same content as plain lines for a terminal. Pure.
import type { AlarmInfo } from '../capabilities/cloudwatch/alarms.js';
import type { EvidenceMap } from '../core/evidence.js';
import { fmtTime } from '../core/time.js';
import type { PathEntry } from '../engine/cursor.js';
import { decidedBy, evaluate } from '../engine/rules.js';
import { alarmWatches } from '../runbook/alarms.js';
import { healthyOf } from '../runbook/rules.js';
import type { Condition, Rule, Runbook } from '../runbook/schema.js';
import { healthyText, markOf } from '../ui/card.js';
import { evidenceValue } from '../ui/format.js';
import { wrap } from '../ui/wrap.js';

export interface EvidenceLine {
  probe: string;
  /** ✗ wrong side of its threshold, ✓ healthy side, ○ context. */
  mark: string;
  text: string;
}

export interface FixLine {
  action: string;
  text: string;
  status?: string;
}

export interface PreDiagnosis {
  alarm: AlarmInfo;
  stateChangedAt: Date;
  runbook: Pick<Runbook, 'id' | 'title' | 'severity'>;
  matchedBy?: string;
  incident: string;
  outcome?: { id: string; title: string };
  question?: { node: string; text: string; choices: string[]; reason?: string };
  /** A walk that ended otherwise (a loop, a failure): its one line. */
  stopped?: string;
  evidence: EvidenceLine[];
  applied: FixLine[];
  held: FixLine[];
}

/** The rule that picked the branch a decision took: its check, or the taken branch's rule. */
function ruleTaken(runbook: Runbook, entry: PathEntry): Rule | undefined {
  const node = runbook.nodes[entry.node];
  if (node?.type !== 'decision') return undefined;
  if (node.decide === 'check') return node.check;
  const when = node.branches.find((b) => b.label === entry.answer)?.when;
  return when && typeof when === 'object' ? when : undefined;
}

function conditionOf(rule: Rule, probe: string): Condition | undefined {
  if ('probe' in rule) return rule.probe === probe ? rule : undefined;
  if ('not' in rule) return conditionOf(rule.not, probe);
  for (const r of 'all' in rule ? rule.all : rule.any) {
    const c = conditionOf(r, probe);
    if (c) return c;
  }
  return undefined;
}

/**
 * The values that decided the walk, nearest the end first: at each decision the evidence
 * took, the probes its rule turned on (decidedBy), each once, with its healthy side as the
 * card says it. Fewer decisions than `n`: the values shown on the way fill in, as context.
 */
export function decisiveEvidence(runbook: Runbook, path: PathEntry[], evidence: EvidenceMap, n = 3): EvidenceLine[] {
  const lines: EvidenceLine[] = [];
  const seen = new Set<string>();
  const add = (probeId: string, nodeId: string) => {
    const probe = runbook.probes[probeId];
    const node = runbook.nodes[nodeId];
    if (!probe || !node || seen.has(probeId) || lines.length >= n) return;
    seen.add(probeId);
    const e = evidence[probeId];
    const h = healthyOf(probe, probeId, node);
    const mark = markOf(e, h);
    const side = h && e?.status === 'ok' ? ` (${healthyText(h, probe.unit)})` : '';
    lines.push({ probe: probeId, mark, text: `${probe.label ?? probeId}: ${evidenceValue(e, probe.unit)}${side}` });
  };
  const decided = [...path].reverse().filter((p) => p.type === 'decision' && p.by !== 'human');
  for (const entry of decided) {
    const rule = ruleTaken(runbook, entry);
    if (!rule || !evaluate(rule, evidence).known) continue;
    for (const probe of decidedBy(rule, evidence)) if (conditionOf(rule, probe)) add(probe, entry.node);
  }
  for (const entry of [...path].reverse()) for (const probe of Object.keys(entry.evidence)) add(probe, entry.node);
  return lines;
}

/** Slack mrkdwn: &, < and > are its own syntax. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function alarmLine(p: PreDiagnosis): string {
  const t = p.alarm.threshold ? ` ${p.alarm.threshold.op} ${p.alarm.threshold.value}` : '';
  return `${p.alarm.name} (${alarmWatches(p.alarm)}${t}) in ALARM since ${fmtTime(p.stateChangedAt)}`;
}

function verdict(p: PreDiagnosis): { head: string; body: string } {
  if (p.outcome) return { head: 'Pre-diagnosis', body: p.outcome.title };
  if (p.question) {
    const choices = p.question.choices.map((c) => `"${c}"`).join(', ');
    return { head: 'Open question', body: `${p.question.text} [${p.question.node}] — ${choices}${p.question.reason ? `; ${p.question.reason}` : ''}` };
  }
  return { head: 'Walk stopped', body: p.stopped ?? 'before a diagnosis' };
}

function fixesLine(p: PreDiagnosis): string[] {
  const lines: string[] = [];
  if (p.applied.length) lines.push(`Applied under autoApply: ${p.applied.map((f) => `${f.action} (${f.status ?? '?'})`).join(', ')}`);
  if (p.held.length) lines.push(`Fixes held for you: ${p.held.map((f) => f.action).join(', ')}`);
  if (!p.applied.length) lines.push('Nothing was applied.');
  return lines;
}

export function resumeCommand(incident: string): string {
  return `mangaops resume ${incident}`;
}

/** The message as plain lines at `columns`: what a terminal shows when no webhook is configured. */
export function plainMessage(p: PreDiagnosis, columns = 80): string {
  const v = verdict(p);
  const lines = [
    wrap(`Alarm: ${alarmLine(p)}`, columns, '', '  '),
    wrap(`Runbook: ${p.runbook.id} — ${p.runbook.title}${p.runbook.severity ? ` (${p.runbook.severity})` : ''}`, columns, '', '  '),
    wrap(`${v.head}: ${v.body}`, columns, '', '  '),
    ...(p.evidence.length ? ['Evidence:', ...p.evidence.map((e) => wrap(`${e.mark} ${e.text}`, columns, '  ', '    '))] : []),
    ...fixesLine(p).map((l) => wrap(l, columns, '', '  ')),
    // A command to paste is never broken.
    `Continue: ${resumeCommand(p.incident)}`,
  ];
  return lines.join('\n') + '\n';
}

/** Slack incoming-webhook JSON: `text` is what a notification shows, `blocks` the message. */
export function slackMessage(p: PreDiagnosis): { text: string; blocks: unknown[] } {
  const v = verdict(p);
  // Slack refuses a section over 3,000 characters: a long no-data reason is cut, not the post.
  const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text: text.length > 2900 ? `${text.slice(0, 2899)}…` : text } });
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `${p.alarm.name} is in ALARM`.slice(0, 150) } },
    section(`*Alarm* ${esc(alarmLine(p))}\n*Runbook* \`${p.runbook.id}\` ${esc(p.runbook.title)}${p.runbook.severity ? ` (${esc(p.runbook.severity)})` : ''}`),
    section(`*${v.head}:* ${esc(v.body)}`),
  ];
  if (p.evidence.length) blocks.push(section(`*Evidence*\n${p.evidence.map((e) => `${e.mark} ${esc(e.text)}`).join('\n')}`));
  blocks.push(section(fixesLine(p).map(esc).join('\n')));
  blocks.push(section(`*Continue:*\n\`\`\`${resumeCommand(p.incident)}\`\`\``));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: esc(`mangaops on-alarm · incident ${p.incident} · evidence as of ${fmtTime(p.stateChangedAt)}`) }] });
  const text = `ALARM ${p.alarm.name} → ${p.runbook.id}: ${v.head.toLowerCase()}: ${v.body}. Continue: ${resumeCommand(p.incident)}`;
  return { text, blocks };
}
