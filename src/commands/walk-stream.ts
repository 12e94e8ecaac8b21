// A walk's event stream with its subscribers — the terminal from the first event (the gather),
// the fixes for the result, and the journal once the incident has its id.
import type { Io } from '../core/io.js';
import { Events } from '../events/events.js';
import { StepCollector } from '../events/result.js';
import { Journal, newIncidentId } from '../journal/journal.js';
import { journalWriter } from '../journal/writer.js';
import type { Runbook } from '../runbook/schema.js';
import { terminalRenderer } from '../ui/renderer.js';
import { screenOf, type Screen } from '../ui/screen.js';

export interface WalkStream {
  events: Events;
  steps: StepCollector;
  /** Where the report goes (stdout; stderr under --json) and how it is coloured. */
  screen: Screen;
}

/** The stream a walk speaks into, drawn on the terminal from the first event (the gather). */
export function walkStream(io: Io, runbook: Runbook, json = false): WalkStream {
  const steps = new StepCollector(io.now);
  const screen = screenOf(io, json);
  return { events: new Events(terminalRenderer(screen, runbook), steps.handle), steps, screen };
}

/** A new incident's journal, subscribed to the stream from here on. */
export function newJournal(stream: WalkStream, io: Io, runbook: string, file?: string): Journal {
  const journal = Journal.create({ incident: newIncidentId(io.now(), runbook), file, env: io.env, now: io.now });
  stream.events.subscribe(journalWriter(journal));
  return journal;
}
