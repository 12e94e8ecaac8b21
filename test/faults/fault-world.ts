// What the fault tests share: `act` run in-process as a user runs it (its journal in a temp
// state folder, its output captured), over ports that refuse every service but the one under
// test, plus small HTTP stand-ins for a service that answers badly.
import { mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Ports } from '../../src/capabilities/ports.js';
import { act, type ActOptions } from '../../src/commands/act.js';
import { listJournals, readJournal } from '../../src/journal/journal.js';
import type { JournalRecord, StepRecord } from '../../src/journal/records.js';
import { makeIo } from '../helpers/io.js';

export function onlyPorts(given: Partial<Ports>): Ports {
  const refuse = async (): Promise<never> => {
    throw new Error('not this port');
  };
  return { cloudwatch: refuse, logs: refuse, ecs: refuse, aoss: refuse, quotas: refuse, redis: refuse, dynamo: refuse, close: async () => {}, ...given };
}

export interface ActRun {
  code?: number;
  error?: Error & { exitCode?: number; hint?: string };
  out: string;
  err: string;
  ms: number;
  records: JournalRecord[];
  steps: StepRecord[];
}

/** `mangaops act <action> <flags…>` with --yes, in-process, with the given ports (else live ones) and real time. */
export async function runAct(action: string, rest: string[], ports: Ports | undefined, options: Partial<ActOptions> = {}, env: NodeJS.ProcessEnv = {}): Promise<ActRun> {
  const state = mkdtempSync(join(tmpdir(), 'mangaops-fault-'));
  const t = makeIo({ env: { XDG_STATE_HOME: state, ...env }, now: () => Date.now() });
  const started = Date.now();
  let code: number | undefined;
  let error: ActRun['error'];
  try {
    code = await act({ action, rest, yes: true, ...options }, t.io, ports ? { ports } : {});
  } catch (e) {
    error = e as ActRun['error'];
  }
  const ms = Date.now() - started;
  const journal = listJournals(t.io.env)[0];
  const records = journal ? readJournal(journal.file) : [];
  return { code, error, out: t.out(), err: t.err(), ms, records, steps: records.filter((r): r is StepRecord => r.type === 'step') };
}

/** An HTTP server standing in for an AWS service: `answer` writes each reply. */
export async function startHttpStandIn(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ endpoint: string; requests: () => number; close(): Promise<void> }> {
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => n,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
