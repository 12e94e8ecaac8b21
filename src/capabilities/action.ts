// The contract every remediation action meets. An action only plans and applies; the runner
// (src/runner/) decides whether apply is ever reached — dry-run, drills and a "no" stop after
// the plan, in one place, so no action can forget. `Plan<P, B>` carries the action's own
// validated parameters and before-snapshot, typed, so apply and verify need no casts.
import type { z } from 'zod';
import '../core/zod-jitless.js';
import type { Config } from '../core/config.js';
import type { IamWrites } from './iam.js';
import type { Ports } from './ports.js';

export interface Change {
  /** What changes: "orchestrator desiredCount", "BEDROCK_POOL_SIZE", "keys matching precompute:genre:*". */
  what: string;
  from?: string;
  to: string;
}

export interface UndoSpec {
  /** An action name of the registry (checked when the undo is run). */
  action: string;
  params: Record<string, unknown>;
  /** One line a human reads: "scale orchestrator back to 4 tasks". */
  text: string;
}

export interface Plan<P = unknown, B = unknown> {
  action: string;
  /** Validated, placeholders resolved. */
  params: P;
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
  before: B;
  /**
   * The read a human makes to see whether the change took (`aws dynamodb query …`), named
   * when mangaops itself cannot tell: the reply was lost and the re-read failed too.
   */
  check?: string;
  /**
   * Set when the action cannot be applied at all, --force or not (no running tasks, the
   * session-manager-plugin missing, a quota request already open). The runner stops.
   */
  blocked?: string;
}

export interface ApplyResult<D = unknown> {
  /** The calls actually made, in order. */
  calls: string[];
  /** What was changed, one line each; on failure the runner records these with what was not. */
  changed: string[];
  /** What apply learnt (the new revision, the deployment id), for verify and the journal. */
  detail?: D;
  /** The undo as it stands after apply, when apply learnt something the plan could not. */
  undo?: UndoSpec;
}

/**
 * Thrown by apply when it fails part-way: the runner journals exactly what was and was not
 * changed. `cause` is the service's error that stopped it: when that may have been a lost
 * reply rather than a refusal, the runner re-reads before it believes `unchanged`.
 */
export class PartialApplyError<P = unknown> extends Error {
  /** What apply had sent without an answer (Redis batches), for its re-read. */
  readonly pending?: P;

  constructor(
    message: string,
    readonly changed: string[],
    readonly unchanged: string[],
    options: { cause?: unknown; pending?: P } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PartialApplyError';
    this.pending = options.pending;
  }
}

/** What a re-read found after an apply whose answer was lost (a timeout, a reset, a 5xx). */
export interface Reread<D = unknown> {
  state: 'applied' | 'not applied' | 'partly applied';
  /** What was read, one line: "v2.0 active, v2.1 inactive". */
  observed: string;
  /** As apply would have said it. */
  changed: string[];
  unchanged: string[];
  /** What verify needs, as apply's detail would have held it (the new revision). */
  detail?: D;
}

/** Where apply stands at this moment, exactly: asked when the user interrupts it. */
export interface Standing {
  changed: string[];
  unchanged: string[];
}

export interface ActionContext {
  /** The platform behind narrow ports: live (AWS SDK, ioredis) or simulated (drills). */
  ports: Ports;
  force: boolean;
  /** One line of progress for the screen. */
  progress(message: string): void;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** How long verify may wait, in milliseconds. */
  deadlineMs: number;
  /** The environment config (caps, prewarm queries, names). */
  config: Config;
  /**
   * Aborted when the user interrupts (Ctrl-C, SIGTERM, SIGHUP): start nothing new, let what is
   * in flight answer, and end with a PartialApplyError saying exactly how far it got.
   */
  stopping?: AbortSignal;
  /** Tell the runner how to say, at any moment, where apply stands (for an interruption it cannot wait out). */
  standing?(report: () => Standing): void;
}

/**
 * The one thing a step changes, as the team lease names it (src/team/): a key two engineers
 * cannot hold at once — `ecs:<cluster>/<service>`, `redis:<endpoint>/<literal prefix>`,
 * `dynamodb:<table>/<partition key>`, `aoss:<collection>`, `quota:<service>/<code>` — and what a
 * human calls it ("orchestrator").
 */
export interface Resource {
  key: string;
  name: string;
}

/** An action's parameter schema: a zod object, strict, with coercion where flags are strings. */
export type ParamsSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

export interface Action<S extends ParamsSchema = ParamsSchema, B = unknown, D = unknown> {
  name: string;
  /** One line for `mangaops act --list`. */
  describe: string;
  /** The parameters, validated by the runner, lint and `act` alike. */
  params: S;
  /**
   * What `mangaops act` fills from the config when a parameter is not given, written as the
   * runbooks write them (`${ecs.cluster}`). Never a default for what decides the blast
   * radius: a count, a pattern, a version, a value.
   */
  defaults: Partial<Record<string, string>>;
  /** Read the current state and compute the change. Never mutates. */
  plan(params: z.output<S>, ctx: ActionContext): Promise<Plan<z.output<S>, B>>;
  /** Make the change. Only the runner calls this, and never in dry-run or drill mode. */
  apply(plan: Plan<z.output<S>, B>, ctx: ActionContext): Promise<ApplyResult<D>>;
  /**
   * Wait, under ctx.deadlineMs, until the change took; returns what was observed. `applied`
   * is apply's result (the new revision, the deployment id) for actions that need it.
   */
  verify?(plan: Plan<z.output<S>, B>, ctx: ActionContext, applied?: ApplyResult<D>): Promise<string>;
  /**
   * After an apply whose answer was lost: read the state again (the plan's own read) and say
   * what is true. `failure` is what apply threw (a PartialApplyError carries what it had sent).
   * Without it, the runner can only journal the change as unknown.
   */
  reread?(plan: Plan<z.output<S>, B>, ctx: ActionContext, failure: unknown): Promise<Reread<D>>;
  /** The parameters as shown and journaled: secrets masked (ecs.set-env's values). */
  redact?(params: z.output<S>, config: Config): Record<string, unknown>;
  /** The IAM actions the plan, apply and verify make, on the resources the params name. */
  iamWrites(params: Record<string, unknown>, iam: IamWrites): void;
  /** What apply changes, as the lease names it: from the plan (Redis's endpoint is only known there). */
  resource(plan: Plan<z.output<S>, B>): Resource;
}

/** Declares an action with its types inferred from the schema, so plan/apply/verify need no casts. */
export function defineAction<S extends ParamsSchema, B, D = unknown>(action: Action<S, B, D>): Action<S, B, D> {
  return action;
}
