// The runner's context for a fix run from a command on an opened journal — act, undo, resume
// of an act incident, and the undo a recovery watch offers: one place that turns the flags
// into the runner's (never prompting under --json, the stage deadlines) and gives every one of
// them the team's guard, so no path applies without its lease and approvals.
import type { Ports } from '../capabilities/ports.js';
import type { Config } from '../core/config.js';
import type { Io } from '../core/io.js';
import type { Events } from '../events/events.js';
import type { RunContext } from '../runner/runner.js';
import { teamGuard } from '../team/guard.js';
import type { Team } from '../team/team.js';

export interface FixFlags {
  dryRun?: boolean;
  yes?: boolean;
  force?: boolean;
  json?: boolean;
  /** --wait / --no-lock for the team's lease. */
  wait?: number;
  lock?: boolean;
  planTimeout?: number;
  applyTimeout?: number;
  verifyTimeout?: number;
}

/** Test seams: the clock's sleep, verify's deadline. The CLI passes none. */
export interface FixSeams {
  sleep?: (ms: number) => Promise<void>;
  deadlineMs?: number;
}

export function fixContext(c: { journal: { events: Events; nextStep: () => number }; incident: string; ports: Ports; config: Config; flags: FixFlags; io: Io; seams: FixSeams; team: Team | undefined }): RunContext {
  const { journal, flags, io, seams, config, team } = c;
  return {
    // --json never prompts: without --yes it refuses, as without a terminal.
    io: { ...io, interactive: io.interactive && !flags.json },
    events: journal.events,
    incident: c.incident,
    mode: flags.dryRun ? 'dry-run' : 'live',
    yes: Boolean(flags.yes),
    force: Boolean(flags.force),
    nextStep: journal.nextStep,
    ports: c.ports,
    config,
    sleep: seams.sleep ?? io.sleep,
    deadlines: { planMs: flags.planTimeout, applyMs: flags.applyTimeout, verifyMs: flags.verifyTimeout },
    deadlineMs: seams.deadlineMs,
    guard: teamGuard({ team, config, events: journal.events, now: io.now, sleep: seams.sleep, wait: flags.wait, lock: flags.lock }),
  };
}
