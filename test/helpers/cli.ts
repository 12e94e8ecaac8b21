// Run the built CLI (bin/mangaops.cjs → dist/) as a user would: a subprocess with its own
// environment and a throwaway state directory for journals.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');
export const bin = join(root, 'bin', 'mangaops.cjs');

export function stateDir(): string {
  return mkdtempSync(join(tmpdir(), 'mangaops-test-'));
}

/**
 * The environment a CLI run gets: throwaway state and cache folders, never the user's own. The
 * compiled-code cache is the suite's one folder (vitest.config.ts), as an engineer's runs share
 * theirs: each run still reads its runbooks afresh.
 */
export function cliEnv(env: Record<string, string> = {}): Record<string, string> {
  const code: Record<string, string> = process.env.MANGAOPS_CODE_CACHE ? { MANGAOPS_CODE_CACHE: process.env.MANGAOPS_CODE_CACHE } : {};
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', XDG_STATE_HOME: stateDir(), XDG_CACHE_HOME: stateDir(), NO_COLOR: '1', ...code, ...env };
}

export function runCli(args: string[], env: Record<string, string> = {}, input?: string, options: { bin?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [options.bin ?? bin, ...args], {
    cwd: options.cwd ?? root,
    encoding: 'utf8',
    input,
    env: cliEnv(env),
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A copy of the installed package (bin, dist, runbooks, package.json; node_modules linked) in a
 * temporary folder, so a test can put a runbook of its own beside the shipped ones.
 */
export function packageCopy(): { dir: string; runbooks: string; run: (args: string[], env?: Record<string, string>) => ReturnType<typeof runCli> } {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-package-'));
  for (const part of ['bin', 'dist', 'runbooks', 'package.json']) cpSync(join(root, part), join(dir, part), { recursive: true });
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'));
  return { dir, runbooks: join(dir, 'runbooks'), run: (args, env) => runCli(args, env, undefined, { bin: join(dir, 'bin', 'mangaops.cjs'), cwd: dir }) };
}
