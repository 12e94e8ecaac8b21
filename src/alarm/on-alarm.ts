// The pre-diagnosis: an alarm enters ALARM; before anyone is awake its runbook is walked on the
// evidence as of the state change, with --auto, up to the first question only a human can
// answer or a diagnosis; the incident is journaled as any walk; one message goes to chat with
// the command that continues it. Fixes are held for a human unless the config's autoApply
// allows one for that outcome; those go through the one runner, as --yes would.
//
// Used by `mangaops on-alarm` (commands/on-alarm.ts) and the Lambda handler (lambda/handler.ts)
// alike: what differs — where evidence comes from, where claims and the webhook live — is
// passed in.
import type { Config } from '../core/config.js';
import type { Io } from '../core/io.js';
import { maskUrl } from '../core/mask.js';
import { fmtTime } from '../core/time.js';
import { Events, type RecoveryResult, type Who } from '../events/events.js';
import { StepCollector } from '../events/result.js';
import { Journal, newIncidentId, whoAmI } from '../journal/journal.js';
import { journalWriter } from '../journal/writer.js';
import { alarmWatches, runbooksForAlarm } from '../runbook/alarms.js';
import { teamGuard } from '../team/guard.js';
import { trackNew } from '../team/session.js';
import type { Team } from '../team/team.js';
import type { LoadedRunbook } from '../runbook/load.js';
import type { ActionStep } from '../runbook/schema.js';
import { terminalRenderer } from '../ui/renderer.js';
import { screenOf } from '../ui/screen.js';
import { style } from '../ui/style.js';
import { wrap } from '../ui/wrap.js';
import { autoApplyFor } from '../walk/recovery-guard.js';
import { gatherEvidence } from '../walk/gather.js';
import type { LazyPorts } from '../walk/ports.js';
import { announceStart, runWalk, type WalkEnd, type WalkRequest } from '../walk/run.js';
import type { EvidenceSource } from '../walk/sources.js';
import type { AlarmClaims, AlarmTransition } from './claims.js';
import type { AlarmEvent } from './event.js';
import { decisiveEvidence, plainMessage, slackMessage, type PreDiagnosis } from './message.js';
import { postWebhook } from './webhook.js';

/** An applied fix's verify must end well inside a Lambda's 15 minutes, and the message waits for it. */
const AUTO_APPLY_VERIFY_MS = 4 * 60_000;

export interface OnAlarmDeps {
  io: Io;
  config: Config;
  runbooks: LoadedRunbook[];
  claims: AlarmClaims;
  /** The evidence for the alarm's region as of its state change. */
  source(options: { region?: string; at: Date }): EvidenceSource;
  /** The platform fixes plan and apply against (created on first use). */
  ports(options: { region?: string }): LazyPorts;
  /** Where the message goes; without one it is printed. Never shown whole: it is a secret. */
  webhook?: string;
  post?: typeof postWebhook;
  /** The report moves to stderr; stdout is the caller's (--json). */
  json?: boolean;
  who?: Who;
  probeTimeoutMs?: number;
  /** The team table, when configured: the incident is shared there, and fixes take its leases and approvals. */
  team?: Team;
}

export type AlarmHandled =
  | { status: 'skipped' | 'duplicate'; alarm: string; reason: string }
  | { status: 'no-runbook'; alarm: string; reason: string; watches: string }
  | {
      status: 'pre-diagnosed';
      alarm: string;
      runbook: string;
      incident: string;
      journal: string;
      outcome: { id: string; title: string } | null;
      question: PreDiagnosis['question'] | null;
      applied: PreDiagnosis['applied'];
      held: PreDiagnosis['held'];
      /** Where the message went: the webhook's host, or null when it was printed. */
      postedTo: string | null;
      /** How the watch of a fix autoApply let through ended, once the message was out (mangaops on-alarm). */
      recovery?: RecoveryResult;
      message: ReturnType<typeof slackMessage>;
    };

function transitionOf(e: AlarmEvent): AlarmTransition {
  return { alarm: e.alarm.arn ?? e.alarm.name, state: e.alarm.state, at: e.stateChangedAt };
}

function summarize(loaded: LoadedRunbook, e: AlarmEvent, result: WalkEnd, req: WalkRequest, matchedBy: string | undefined): PreDiagnosis {
  const rb = loaded.runbook;
  const out = result.output;
  const title = (id: string) => (rb.nodes[id] as { title?: string }).title ?? id;
  const stop = out.stop;
  const stoppedAt = stop ? [...out.path].reverse().find((p) => p.node === stop.node) : undefined;
  const node = stop ? rb.nodes[stop.node] : undefined;
  const fixes = req.steps.steps.filter((s) => s.action);
  return {
    alarm: e.alarm,
    stateChangedAt: e.stateChangedAt,
    runbook: rb,
    matchedBy,
    incident: result.incident,
    ...(out.outcome && !stop && { outcome: { id: out.outcome, title: title(out.outcome) } }),
    ...(stop?.reason === 'needs-human' && node?.type === 'decision' && { question: { node: stop.node, text: node.question, choices: stop.choices, ...(stoppedAt?.reason && { reason: stoppedAt.reason }) } }),
    ...(stop && stop.reason !== 'needs-human' && { stopped: stop.message }),
    evidence: decisiveEvidence(rb, out.path, req.evidence),
    applied: fixes.filter((s) => s.status !== 'manual').map((s) => ({ action: s.action!, text: s.text, status: s.status })),
    held: fixes.filter((s) => s.status === 'manual').map((s) => ({ action: s.action!, text: s.text })),
  };
}

async function preDiagnose(e: AlarmEvent, loaded: LoadedRunbook, matchedBy: string | undefined, deps: OnAlarmDeps): Promise<Extract<AlarmHandled, { status: 'pre-diagnosed' }>> {
  const { io, config } = deps;
  const rb = loaded.runbook;
  // A state change stamped ahead of this clock (skew) is evaluated now, not in the future.
  const at = new Date(Math.min(e.stateChangedAt.getTime(), io.now()));
  const screen = screenOf(io, deps.json);
  const steps = new StepCollector(io.now);
  const events = new Events(terminalRenderer(screen, rb), steps.handle);
  const c = style(screen.color);
  screen.report.write(wrap(`${c.bold(`ON-ALARM ${e.alarm.name}`)} → ${rb.id}: ${rb.title}${rb.severity ? ` (${rb.severity})` : ''}`, io.columns, '', '  ') + '\n');
  screen.report.write(wrap(`${e.alarm.name} (${alarmWatches(e.alarm)}) entered ALARM at ${fmtTime(e.stateChangedAt)}${matchedBy ? `; ${rb.id} answers ${matchedBy}` : ''}. Pre-diagnosis with --auto: nothing is applied unless autoApply allows it.`, io.columns, '', '  ') + '\n');
  const source = deps.source({ region: e.region, at });
  const startedAt = io.now();
  const { evidence, ms } = await gatherEvidence(rb, source, events, io.now, deps.probeTimeoutMs);
  const journal = Journal.create({ incident: newIncidentId(io.now(), rb.id), env: io.env, now: io.now });
  events.subscribe(journalWriter(journal));
  // Shared with the team: whoever is paged resumes it from their own machine, not from /tmp.
  trackNew(deps.team, journal);
  const req: WalkRequest = {
    io,
    loaded,
    kind: 'diagnose',
    flags: { auto: true },
    incident: journal.incident,
    journalFile: journal.file,
    events,
    steps,
    evidence,
    evidenceMs: ms,
    sourceName: source.name,
    ports: deps.ports({ region: e.region }),
    config,
    recorded: { auto: true, trigger: 'on-alarm', alarm: e.alarm.name, ...(e.alarm.arn && { alarmArn: e.alarm.arn }), alarmStateAt: e.stateChangedAt.toISOString(), at: at.toISOString(), via: e.via },
    fixPolicy: (step: ActionStep, outcome: string) => (step.action && autoApplyFor(config, rb.id, outcome).includes(step.action) ? 'apply' : 'hold'),
    verifyDeadlineMs: AUTO_APPLY_VERIFY_MS,
    // An allowed fix still takes its lease and waits for its approvals, as one by hand would.
    guard: teamGuard({ team: deps.team, config, events, now: io.now }),
  };
  announceStart(req, deps.who ?? (deps.team ? { who: deps.team.identity.who, host: deps.team.identity.host } : whoAmI(io.env)));
  const result = await runWalk(req, startedAt);
  const pre = summarize(loaded, e, result, req, matchedBy);
  const message = slackMessage(pre);
  let postedTo: string | null = null;
  if (deps.webhook) {
    await (deps.post ?? postWebhook)(deps.webhook, message);
    postedTo = new URL(deps.webhook).host;
    screen.report.write(`\nposted the pre-diagnosis to the chat webhook (${maskUrl(deps.webhook)})\ncontinue: mangaops resume ${result.incident}\n`);
  } else {
    screen.report.write(`\n${plainMessage(pre, io.columns)}`);
    screen.progress.write('note: no chat webhook (notify.webhook or MANGAOPS_WEBHOOK_URL): the message is printed, not posted\n');
  }
  return {
    status: 'pre-diagnosed',
    alarm: e.alarm.name,
    runbook: rb.id,
    incident: result.incident,
    journal: result.journalFile,
    outcome: pre.outcome ?? null,
    question: pre.question ?? null,
    applied: pre.applied,
    held: pre.held,
    postedTo,
    message,
  };
}

/**
 * One alarm transition: into ALARM and answered by a runbook and not yet claimed → the
 * pre-diagnosis; anything else does nothing and says why in one line.
 */
export async function handleAlarmEvent(e: AlarmEvent, deps: OnAlarmDeps): Promise<AlarmHandled> {
  const alarm = e.alarm.name;
  if (e.alarm.state !== 'ALARM') {
    return { status: 'skipped', alarm, reason: `${alarm} went ${e.previousState ?? '?'} → ${e.alarm.state} at ${fmtTime(e.stateChangedAt)}: only a transition into ALARM is pre-diagnosed` };
  }
  const matches = runbooksForAlarm(deps.runbooks.map((l) => l.runbook), e.alarm);
  const loaded = deps.runbooks.find((l) => l.runbook.id === matches[0]?.runbook);
  if (!loaded) {
    const watches = alarmWatches(e.alarm);
    return { status: 'no-runbook', alarm, watches, reason: `no runbook answers ${alarm} (${watches}); runbooks: ${deps.runbooks.map((l) => l.runbook.id).join(', ')}` };
  }
  const transition = transitionOf(e);
  const first = await deps.claims.claim(transition, { runbook: loaded.runbook.id, claimedAt: new Date(deps.io.now()).toISOString() });
  if (!first) {
    return { status: 'duplicate', alarm, reason: `${alarm} entering ALARM at ${fmtTime(e.stateChangedAt)} was already pre-diagnosed (a duplicate delivery; ${deps.claims.where})` };
  }
  try {
    return await preDiagnose(e, loaded, matches[0]!.why, deps);
  } catch (error) {
    // Not done: a redelivery (Lambda retries, SNS redelivers) may try again.
    await deps.claims.release(transition).catch(() => undefined);
    throw error;
  }
}
