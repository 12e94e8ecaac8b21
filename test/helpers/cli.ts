// Run the built CLI (bin/mangaops.js → dist/) as a user would: a subprocess with its own
// environment and a throwaway state directory for journals.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const bin = join(root, 'bin', 'mangaops.js');

export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'mangaops-test-'));
}

export function runCli(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    input,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), NO_COLOR: '1', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
