// The contract every remediation action meets. An action only plans and applies; the
// runner (runner.ts) decides whether apply is ever reached — dry-run, drills and a "no"
// stop after the plan, in one place, so no action can forget.
import type { Io } from '../cli/io.js';
import type { Journal } from '../journal/journal.js';
import type { ActionName } from './params.js';

export interface Change {
  /** What changes: "orchestrator desiredCount", "BEDROCK_POOL_SIZE", "keys matching precompute:genre:*". */
  what: string;
  from?: string;
  to: string;
}

export interface UndoSpec {
  action: ActionName;
  params: Record<string, unknown>;
  /** One line a human reads: "scale orchestrator back to 4 tasks". */
  text: string;
}

export interface Plan {
  action: ActionName;
  /** Validated, placeholders resolved. */
  params: Record<string, unknown>;
  /** One line: "Scale orchestrator from 4 to 8 tasks". */
  summary: string;
  changes: Change[];
  /** The exact API calls apply will make, e.g. "ECS UpdateService cluster=… service=… desiredCount=8". */
  calls: string[];
  /** Equivalent commands a human could paste: `aws ecs update-service …`, `redis-cli …`. */
  cli: string[];
  undo?: UndoSpec;
  /** Plain statements the engineer must read: "approval is manual and will not arrive during the incident". */
  notes: string[];
  /** Set when the action refuses as planned (over the cap, a pattern with no prefix) unless --force. */
  refusal?: string;
  /** Already in the wanted state: nothing to apply. */
  noop?: boolean;
  /** The state read while planning: the journal's before-snapshot. */
  before?: unknown;
  /**
   * Set when the action cannot be applied at all, --force or not (no running tasks, the
   * session-manager-plugin missing, a quota request already open). The runner stops.
   */
  blocked?: string;
}

export interface ApplyResult {
  /** The calls actually made, in order. */
  calls: string[];
  /** What was changed, one line each; on failure the runner records these with what was not. */
  changed: string[];
  detail?: unknown;
  /** The undo as it stands after apply, when apply learnt something the plan could not. */
  undo?: UndoSpec;
}

/** Thrown by apply when it fails part-way: the runner journals exactly what was and was not changed. */
export class PartialApplyError extends Error {
  constructor(
    message: string,
    readonly changed: string[],
    readonly unchanged: string[],
  ) {
    super(message);
    this.name = 'PartialApplyError';
  }
}

export interface ActionContext {
  /** The platform behind narrow ports: live (AWS SDK, ioredis) or simulated (drills). */
  ports: import('./ports.js').Ports;
  force: boolean;
  /** One line of progress for the screen (stderr). */
  progress(message: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** How long verify may wait, in milliseconds. */
  deadlineMs: number;
  /** The environment config (caps, prewarm queries, names); optional for older callers. */
  config?: Record<string, unknown>;
}

export interface Action<P = Record<string, unknown>> {
  name: ActionName;
  /** One line for `mangaops act --list`. */
  describe: string;
  /** Read the current state and compute the change. Never mutates. */
  plan(params: P, ctx: ActionContext): Promise<Plan>;
  /** Make the change. Only the runner calls this, and never in dry-run or drill mode. */
  apply(plan: Plan, ctx: ActionContext): Promise<ApplyResult>;
  /**
   * Wait, under ctx.deadlineMs, until the change took; returns what was observed. `applied`
   * is apply's result (the new revision, the deployment id) for actions that need it.
   */
  verify?(plan: Plan, ctx: ActionContext, applied?: ApplyResult): Promise<string>;
}

export type RunMode = 'live' | 'dry-run' | 'drill';

export interface RunContext {
  io: Io;
  journal: Journal;
  mode: RunMode;
  /** --yes: confirm without asking (automation). */
  yes: boolean;
  force: boolean;
  /** The outcome node the step belongs to, when offered by a walk. */
  node?: string;
  /** The next step number in this incident's journal. */
  nextStep(): number;
  ports: import('./ports.js').Ports;
  /** The environment config; when absent the runner loads the default one (and MANGAOPS_CONFIG). */
  config?: Record<string, unknown>;
  /** Injected in tests; real timers otherwise. */
  sleep?(ms: number): Promise<void>;
  /** How long verify may wait (default 10 minutes, as the AWS CLI's services-stable waiter). */
  deadlineMs?: number;
}
