// A walk's event stream with its subscribers — the terminal from the first event (the gather),
// the fixes for the result, and the journal once the incident has its id.
import type { Io } from '../core/io.js';
import { Events, type heldEvents } from '../events/events.js';
import { StepCollector } from '../events/result.js';
import { Journal, journalFileFor, newIncidentId } from '../journal/journal.js';
import { lockJournal } from '../journal/lock.js';
import { journalWriter } from '../journal/writer.js';
import type { Runbook } from '../runbook/schema.js';
import { terminalRenderer } from '../ui/renderer.js';
import { journalLine } from '../ui/format.js';
import { screenOf, type Screen } from '../ui/screen.js';
import { needsHumanError, resultObject, type WalkEnd, type WalkRequest } from '../walk/run.js';

export interface WalkStream {
  events: Events;
  steps: StepCollector;
  /** Where the report goes (stdout; stderr under --json) and how it is coloured. */
  screen: Screen;
}

/**
 * The stream a walk speaks into, drawn on the terminal from the first event (the gather). With
 * `early`, the events and screen a command started with before this module had loaded: what
 * was emitted so far is drawn now, in order.
 */
export function walkStream(io: Io, runbook: Runbook, json = false, early?: { held: ReturnType<typeof heldEvents>; screen: Screen }): WalkStream {
  const steps = new StepCollector(io.now);
  const screen = early?.screen ?? screenOf(io, json);
  const renderer = terminalRenderer(screen, runbook);
  if (!early) return { events: new Events(renderer, steps.handle), steps, screen };
  early.held.attach(renderer, steps.handle);
  return { events: early.held.events, steps, screen };
}

/**
 * A new incident's journal, subscribed to the stream from here on, and held by this process
 * (journal/lock.ts) until its end is journaled (`durable`: fsync each record).
 */
export async function newJournal(stream: WalkStream, io: Io, runbook: string, file: string | undefined, command: string, durable = true): Promise<Journal> {
  const incident = newIncidentId(io.now(), runbook);
  const lock = await lockJournal(journalFileFor(incident, file, io.env), { command, now: io.now });
  const journal = Journal.create({ incident, file, env: io.env, now: io.now, durable });
  stream.events.subscribe(journalWriter(journal));
  stream.events.subscribe((e) => void (e.type === 'incident.ended' && lock.release()));
  return journal;
}

/**
 * How every walk command ends: the result object on stdout under --json, where the journal
 * is, and — when the walk stopped at a question for a human — exit 3 naming it.
 */
export function endWalk(io: Io, req: WalkRequest, result: WalkEnd, screen: Screen, json: boolean | undefined, extra: Record<string, unknown> = {}): void {
  if (json) io.stdout.write(JSON.stringify(resultObject(req, result, extra), null, 2) + '\n');
  screen.report.write(journalLine(result.incident, io.columns));
  const stop = needsHumanError(result, json);
  if (stop) throw stop;
}
