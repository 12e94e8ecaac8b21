// How long each stage of a fix may take. Reads and apply end a frozen dependency's wait well
// within a minute (plan 15 s; apply 30 s, then its re-read 15 s); verify keeps the AWS CLI's
// services-stable 10 minutes, because a rollout really takes that long. Config `deadlines`
// sets them (15s, 2m or milliseconds), --plan-timeout / --apply-timeout / --verify-timeout
// override them for one run.
import type { Config } from '../core/config.js';

export interface Deadlines {
  /** The plan's reads; also the re-read after a lost reply. */
  planMs: number;
  applyMs: number;
  verifyMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { planMs: 15_000, applyMs: 30_000, verifyMs: 600_000 };

/** Flags over config over defaults. */
export function deadlinesFor(config: Pick<Config, 'deadlines'>, override: Partial<Deadlines> = {}): Deadlines {
  const fromConfig: Partial<Deadlines> = { planMs: config.deadlines?.plan, applyMs: config.deadlines?.apply, verifyMs: config.deadlines?.verify };
  const pick = (k: keyof Deadlines) => override[k] ?? fromConfig[k] ?? DEFAULT_DEADLINES[k];
  return { planMs: pick('planMs'), applyMs: pick('applyMs'), verifyMs: pick('verifyMs') };
}
