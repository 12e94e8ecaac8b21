// Every wait has a deadline. The runner runs each stage of a fix (plan, apply, verify) under
// `withDeadline`; every remote call made inside it, however deep, goes through `waitingFor`,
// which names the call (so the stage can say what it is waiting for) and ties it to the
// stage's abort signal (so a frozen service is let go of at the deadline, its socket closed,
// instead of keeping the process alive). The stage travels with the async context
// (AsyncLocalStorage), so no action and no port can forget to pass it on.
import { AsyncLocalStorage } from 'node:async_hooks';

/** A duration as a person reads it: 800 ms, 15s, 2m30s. */
export function spoken(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${String(s).padStart(2, '0')}s` : `${m}m`;
}

export class DeadlineExceeded extends Error {
  constructor(
    /** "planning", "applying", "re-reading", "verifying". */
    readonly stage: string,
    readonly ms: number,
    /** The calls still out when time ran out: "DynamoDB TransactWriteItems". */
    readonly waitingFor: string[],
  ) {
    super(`${stage} did not finish within ${spoken(ms)}${waitingFor.length ? `: no answer from ${waitingFor.join(', ')}` : ''}`);
    this.name = 'DeadlineExceeded';
  }
}

interface Stage {
  signal: AbortSignal;
  /** The calls in flight, by a token of each. */
  waiting: Map<symbol, string>;
}

const stages = new AsyncLocalStorage<Stage>();
/** Which call an error came from ("DynamoDB Query"), for a message that names it. */
const callOfError = new WeakMap<object, string>();

export function callOf(error: unknown): string | undefined {
  return error && typeof error === 'object' ? callOfError.get(error) : undefined;
}

export interface StageOptions {
  /** What the stage does, for messages: "planning". */
  name: string;
  ms: number;
  /** Told now and then what the stage is still waiting for, and for how long. */
  onWait?(waitingFor: string[], elapsedMs: number): void;
  /** How often onWait is told (default 5 s). */
  everyMs?: number;
}

function outstanding(stage: Stage): string[] {
  return [...new Set(stage.waiting.values())];
}

/**
 * Run `work` as a stage that ends at its deadline: past `ms`, every call under it is aborted
 * and the returned promise rejects with DeadlineExceeded, whatever `work` is still doing. No
 * timer outlives the stage.
 */
export function withDeadline<T>(options: StageOptions, work: () => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stage: Stage = { signal: controller.signal, waiting: new Map() };
  const started = Date.now();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new DeadlineExceeded(options.name, options.ms, outstanding(stage));
      controller.abort(error);
      stop();
      reject(error);
    }, options.ms);
    const ticker = options.onWait && setInterval(() => stage.waiting.size && options.onWait!(outstanding(stage), Date.now() - started), options.everyMs ?? 5000);
    const stop = () => {
      clearTimeout(timer);
      if (ticker) clearInterval(ticker);
    };
    stages.run(stage, work).then(
      (value) => (stop(), resolve(value)),
      (error: unknown) => (stop(), reject(error)),
    );
  });
}

/** Reject as soon as the signal aborts, without waiting for `work` (which is left to fail on its own). */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}

/**
 * One remote call: `what` names it ("DynamoDB TransactWriteItems manga-prompt-templates") while
 * it is out, `run` gets the signal to hand to the client (the caller's own, the stage's, or
 * both), and the call ends when either aborts. An error keeps the call's name (callOf).
 */
export async function waitingFor<T>(what: string, run: (signal: AbortSignal | undefined) => Promise<T>, own?: AbortSignal): Promise<T> {
  const stage = stages.getStore();
  const signals = [own, stage?.signal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  const token = Symbol(what);
  stage?.waiting.set(token, what);
  try {
    if (signal?.aborted) throw signal.reason;
    // The caller's own signal is the client's to honour (a probe's timeout says so itself);
    // the stage's deadline is enforced here too, for a client that ignores its signal.
    return await abortable(Promise.resolve(run(signal)), stage?.signal);
  } catch (error) {
    if (error && typeof error === 'object' && !callOfError.has(error)) callOfError.set(error, what);
    throw error;
  } finally {
    stage?.waiting.delete(token);
  }
}
