// A walk's event stream with its subscribers — the terminal from the first event (the gather),
// the fixes for the result, and the journal once the incident has its id.
import type { Io } from '../core/io.js';
import { Events } from '../events/events.js';
import { StepCollector } from '../events/result.js';
import { Journal, newIncidentId } from '../journal/journal.js';
import { journalWriter } from '../journal/writer.js';
import type { Runbook } from '../runbook/schema.js';
import { terminalRenderer } from '../ui/renderer.js';

export interface WalkStream {
  events: Events;
  steps: StepCollector;
}

/** The stream a walk speaks into, drawn on the terminal from the first event (the gather). */
export function walkStream(io: Io, runbook: Runbook): WalkStream {
  const steps = new StepCollector(io.now);
  return { events: new Events(terminalRenderer(io, runbook), steps.handle), steps };
}

/** A new incident's journal, subscribed to the stream from here on (`durable`: fsync each record). */
export function newJournal(stream: WalkStream, io: Io, runbook: string, file?: string, durable = true): Journal {
  const journal = Journal.create({ incident: newIncidentId(io.now(), runbook), file, env: io.env, now: io.now, durable });
  stream.events.subscribe(journalWriter(journal));
  return journal;
}
