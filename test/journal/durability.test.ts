// What the journal fsyncs: every record of a change at once; what a walk read and decided, and
// its end, only with the next such record — all in the file (written) before append returns.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const fsyncs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return { ...fs, fsyncSync: (fd: number) => (fsyncs.count++, fs.fsyncSync(fd)) };
});

const { Journal } = await import('../../src/journal/journal.js');

describe('journal durability', () => {
  let journal: import('../../src/journal/journal.js').Journal;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-journal-'));
    journal = Journal.create({ incident: 'i-1', file: join(dir, 'i-1.jsonl'), env: { HOME: dir }, now: () => 0 });
    fsyncs.count = 0;
  });

  it('GIVEN a walk that changes nothing (start, evidence, nodes, end) THEN each record is in the file when append returns, none fsynced', () => {
    journal.append({ type: 'start', runbook: 'first-token', command: 'diagnose' } as never);
    journal.append({ type: 'evidence', evidence: {}, ms: 1 } as never);
    journal.append({ type: 'node', node: 'alarm', nodeType: 'action', text: 'x' } as never);
    journal.append({ type: 'end', status: 'resolved' } as never);
    expect(readFileSync(journal.file, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(fsyncs.count).toBe(0);
  });

  it('GIVEN a step of a fix, a lease, an approval or a recovery THEN that record is fsynced before append returns (and with it all before it)', () => {
    journal.append({ type: 'node', node: 'alarm', nodeType: 'action', text: 'x' } as never);
    journal.append({ type: 'step', step: 'apply', node: 'fix', action: 'ecs.scale', status: 'ok' } as never);
    expect(fsyncs.count).toBe(1);
    journal.append({ type: 'lease', resource: 'ecs:x', holder: 'me' } as never);
    journal.append({ type: 'approval', by: 'you' } as never);
    journal.append({ type: 'recovery', status: 'watching' } as never);
    expect(fsyncs.count).toBe(4);
  });

  it('GIVEN a drill journal (not durable) THEN nothing is fsynced', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-journal-'));
    const drill = Journal.create({ incident: 'i-2', file: join(dir, 'i-2.jsonl'), env: { HOME: dir }, now: () => 0, durable: false });
    drill.append({ type: 'step', step: 'apply', node: 'fix', action: 'ecs.scale', status: 'ok' } as never);
    expect(fsyncs.count).toBe(0);
  });
});
