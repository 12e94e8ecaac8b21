// How a walk watches its fixes' recovery: on live evidence, polling the account on the real
// clock, or in a drill's world on its simulated clock (minutes pass in no time).
import type { Io } from '../core/io.js';
import type { Runbook } from '../runbook/schema.js';
import type { WatchSetup } from './recovery-guard.js';
import { DEFAULT_WATCH_INTERVAL_MS, realClock, sourceReader } from './recovery.js';
import type { WalkFlags } from './run.js';
import type { EvidenceSource } from './sources.js';
import type { DrillWorld } from './world.js';

type WatchFlags = Pick<WalkFlags, 'watch' | 'watchInterval'>;

export function drillWatch(world: DrillWorld, flags: WatchFlags): WatchSetup {
  return {
    read: async (ids) => world.read(ids),
    clock: world.clock,
    intervalMs: flags.watchInterval ?? DEFAULT_WATCH_INTERVAL_MS,
    simulated: true,
    world,
    ...(flags.watch === false && { off: 'recovery not watched (--no-watch)' }),
  };
}

/** `source` reads now (not --at): the watch is about the present. */
export function liveWatch(rb: Runbook, source: EvidenceSource, io: Pick<Io, 'now' | 'sleep'>, flags: WatchFlags & { at?: unknown; probeTimeout?: number }): WatchSetup {
  const off = flags.watch === false ? 'recovery not watched (--no-watch)' : flags.at ? 'recovery not watched: --at replays a past moment' : undefined;
  return {
    read: sourceReader(rb, source, flags.probeTimeout),
    clock: realClock(io.now, io.sleep),
    intervalMs: flags.watchInterval ?? DEFAULT_WATCH_INTERVAL_MS,
    simulated: false,
    ...(off && { off }),
  };
}
