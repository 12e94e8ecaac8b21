// The incidents whose journal has records the team table does not (it could not be reached):
// one id a line in $XDG_STATE_HOME/mangaops/team-pending, read by `team sync` and by the next
// command that reaches the table.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stateDir } from '../journal/journal.js';
import { makeDirs } from '../core/dirs.js';

const fileOf = (env: NodeJS.ProcessEnv) => join(stateDir(env), 'team-pending');

export function pendingIncidents(env: NodeJS.ProcessEnv): string[] {
  try {
    return [...new Set(readFileSync(fileOf(env), 'utf8').split('\n').filter(Boolean))];
  } catch {
    return [];
  }
}

export function addPending(env: NodeJS.ProcessEnv, incident: string): void {
  if (pendingIncidents(env).includes(incident)) return;
  makeDirs(dirname(fileOf(env)), 0o700);
  appendFileSync(fileOf(env), `${incident}\n`);
}

export function removePending(env: NodeJS.ProcessEnv, done: string[]): void {
  const left = pendingIncidents(env).filter((i) => !done.includes(i));
  try {
    writeFileSync(fileOf(env), left.map((i) => `${i}\n`).join(''));
  } catch {
    /* nothing was pending */
  }
}
