// One pre-diagnosis per alarm transition. EventBridge and SNS deliver at least once, and a
// Lambda's async invocation retries: the same alarm and state timestamp must walk and post
// once. Whoever claims the transition first does the work; a later delivery finds the claim.
//
// `AlarmClaims` is the whole contract: without a team table, a marker file in the local state
// dir (one machine, one Lambda container); with one, a conditional PutItem on the transition's
// key in the table, so every machine and every container sees the same claim.
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MangaopsError } from '../core/errors.js';
import type { Team } from '../team/team.js';
import { makeDirs } from '../core/dirs.js';
import { stateDir } from '../journal/journal.js';

export interface AlarmTransition {
  /** The alarm's ARN where known, else its name. */
  alarm: string;
  /** The state it entered and when (the event's state timestamp). */
  state: string;
  at: Date;
}

export interface AlarmClaims {
  /** Where claims are kept, for messages: "local markers in ~/.local/state/mangaops/alarms". */
  readonly where: string;
  /** True when this caller is the first for the transition; false for a duplicate delivery. */
  claim(t: AlarmTransition, note: Record<string, unknown>): Promise<boolean>;
  /** Give the transition back (the work failed before it was done), so a redelivery can do it. */
  release(t: AlarmTransition): Promise<void>;
}

/** The transition's key: the same alarm entering the same state at the same instant. */
export function transitionKey(t: AlarmTransition): string {
  return createHash('sha256').update(`${t.alarm}\u0000${t.state}\u0000${t.at.toISOString()}`).digest('hex').slice(0, 32);
}

function alarmsDir(env: NodeJS.ProcessEnv): string {
  return join(stateDir(env), 'alarms');
}

/** Marker files created exclusively (O_EXCL): two deliveries at once cannot both win. */
export function localClaims(env: NodeJS.ProcessEnv): AlarmClaims {
  const dir = alarmsDir(env);
  const file = (t: AlarmTransition) => join(dir, `${transitionKey(t)}.json`);
  return {
    where: `local markers in ${dir}`,
    async claim(t, note) {
      try {
        makeDirs(dir, 0o700);
        writeFileSync(file(t), JSON.stringify({ alarm: t.alarm, state: t.state, at: t.at.toISOString(), ...note }) + '\n', { flag: 'wx' });
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
        throw new MangaopsError(`cannot record the alarm transition in ${dir}: ${(e as Error).message}`, 1, 'set XDG_STATE_HOME to a writable folder');
      }
    },
    async release(t) {
      rmSync(file(t), { force: true });
    },
  };
}

/** A claim kept a week: long past any redelivery of the same transition. */
const CLAIM_KEEP_MS = 7 * 86_400_000;

/**
 * Claims in the team table; when the table cannot be reached, the local markers (said once),
 * so a pre-diagnosis is never lost for want of the table.
 */
export function teamClaims(team: Team, local: AlarmClaims): AlarmClaims {
  let fallback = false;
  return {
    get where() {
      return fallback ? local.where : `the team table ${team.table}`;
    },
    async claim(t, note) {
      try {
        return await team.store.claimAlarm(transitionKey(t), JSON.stringify(note), team.now() + CLAIM_KEEP_MS);
      } catch (e) {
        team.unreachable(e);
        fallback = true;
        return local.claim(t, note);
      }
    },
    async release(t) {
      if (fallback) return local.release(t);
      await team.store.releaseAlarm(transitionKey(t));
    },
  };
}
