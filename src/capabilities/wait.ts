// Verify's one loop: poll until the change took, under ctx.deadlineMs, saying what it sees.
// The clock and sleep come from the context, so tests run a ten-minute wait in no time.
import type { ActionContext } from './action.js';

export class VerifyTimeout extends Error {
  constructor(
    message: string,
    readonly last: string,
  ) {
    super(message);
    this.name = 'VerifyTimeout';
  }
}

export function seconds(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)}s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return s ? `${m}m${String(s).padStart(2, '0')}s` : `${m}m`;
}

export interface Check {
  done: boolean;
  /** What was seen, one line: "orchestrator running 6/8, pending 2". */
  status: string;
  /** Stop now, the change will not take (a deployment the circuit breaker rolled back). */
  failed?: string;
}

/**
 * Poll `check` every `intervalMs` until done. Throws VerifyTimeout past the deadline, or an
 * Error when the check reports a failure. Returns the last status.
 */
export async function waitUntil(ctx: ActionContext, what: string, check: () => Promise<Check>, intervalMs = 5000): Promise<string> {
  const start = ctx.now();
  for (;;) {
    const c = await check();
    const elapsed = ctx.now() - start;
    if (c.failed) throw new Error(`${what}: ${c.failed}`);
    if (c.done) return c.status;
    if (elapsed >= ctx.deadlineMs) {
      throw new VerifyTimeout(`${what}: not reached within ${seconds(ctx.deadlineMs)} (last seen: ${c.status})`, c.status);
    }
    ctx.progress(`${c.status} — waiting ${seconds(elapsed)} of ${seconds(ctx.deadlineMs)}`);
    await ctx.sleep(Math.min(intervalMs, Math.max(0, ctx.deadlineMs - elapsed)) || intervalMs);
  }
}

/** Run `work` over `items`, at most `limit` at a time, in order of start; results in input order. */
export async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
