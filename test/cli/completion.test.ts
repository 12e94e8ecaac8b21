// Shell completion read off the command tree: the scripts are valid shell, and in a real bash
// the function offers what the tool knows — commands, options, scenario ids, case names after
// --case, action names and parameters, incident ids.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, runCli } from '../helpers/cli.js';

/** `mangaops` on PATH, as an installed CLI would be, with its own state directory. */
function installed(): { path: string; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-completion-'));
  const state = join(dir, 'state');
  writeFileSync(join(dir, 'mangaops'), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
  chmodSync(join(dir, 'mangaops'), 0o755);
  return { path: `${dir}:${process.env.PATH ?? ''}`, state };
}

/** COMPREPLY for a command line typed up to its last word, in bash with the printed script sourced. */
function bashComplete(line: string[], env: { path: string; state: string }): string[] {
  const script = runCli(['completion', 'bash']).stdout;
  const words = ['mangaops', ...line].map((w) => `'${w}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length}; _mangaops; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    encoding: 'utf8',
    env: { PATH: env.path, HOME: env.state, XDG_STATE_HOME: env.state },
  });
  return r.stdout.split('\n').filter(Boolean);
}

describe('mangaops completion', () => {
  it('GIVEN bash THEN the script passes bash -n', () => {
    const r = runCli(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(spawnSync('bash', ['-n'], { input: r.stdout }).status).toBe(0);
  });

  it('GIVEN zsh and fish THEN each script hooks the shell to mangaops __complete', () => {
    expect(runCli(['completion', 'zsh']).stdout).toMatch(/^#compdef mangaops[\s\S]*mangaops __complete/);
    expect(runCli(['completion', 'fish']).stdout).toMatch(/mangaops __complete[\s\S]*complete -c mangaops -f/);
    expect(runCli(['completion', 'tcsh']).code).toBe(2);
  });

  it('GIVEN a real bash THEN it completes commands, scenario ids, case names after --case, actions and their parameters, and incident ids', () => {
    const env = installed();
    expect(bashComplete(['dr'], env)).toEqual(['drill']);
    expect(bashComplete(['drill', 'first'], env)).toEqual(['first-token', 'first-token-latency']);
    expect(bashComplete(['drill', 'first-token', '--case', 'cold'], env)).toEqual(['cold-connections', 'cold-connections-no-ping-metric']);
    expect(bashComplete(['act', 'redis.'], env)).toEqual(['redis.invalidate-stale', 'redis.purge']);
    expect(bashComplete(['act', 'ecs.scale', '--des'], env)).toEqual(['--desired-count']);
    expect(bashComplete(['drill', 'first-token', '--a'], env)).toEqual(['--answer', '--apply', '--auto']);
    // An incident recorded in this state directory completes after resume.
    const incidents = join(env.state, 'mangaops', 'incidents');
    mkdirSync(incidents, { recursive: true });
    writeFileSync(join(incidents, '20261127-201502-first-token-a1b2.jsonl'), '');
    expect(bashComplete(['resume', '2026'], env)).toEqual(['20261127-201502-first-token-a1b2']);
    expect(bashComplete(['watch', '2026'], env)).toEqual(['20261127-201502-first-token-a1b2']);
  });
});
