// The logs.count probe: a Logs Insights count (`fields @timestamp | filter <filter> | stats
// count() as n`) over the probe's window, GetQueryResults polled until Complete under the
// probe's deadline, StopQuery when the deadline passes so no query keeps scanning (and
// billing) after the walk has moved on. Value = the count. Zero matches over a window that
// scanned records is 0; a window that scanned nothing at all is no data (a silent log group is
// not a healthy one).
import { z } from 'zod';
import { deferred } from '../../core/deferred.js';
import { sleep } from '../../core/async.js';
import type { Evidence } from '../../core/evidence.js';
import { failure, shared } from '../failure.js';
import { defineProbeKind, duration, probeCommon, simulateScalar, windowStart, windowText, type Pending, type ReadContext } from '../probe-kind.js';
import type { LogsPort } from './port.js';

const LogsCountProbe = deferred(() => z.strictObject({
  kind: z.literal('logs.count'),
  ...probeCommon,
  logGroup: z.string(),
  /** A Logs Insights filter expression, e.g. `@message like /GoneException/`. */
  filter: z.string(),
  window: duration.default('1h'),
}));
type LogsProbe = z.infer<typeof LogsCountProbe>;

/** How often GetQueryResults is asked while the query runs. */
const POLL_MS = 250;
const STOP_TIMEOUT_MS = 2000;

function countQuery(filter: string): string {
  return `fields @timestamp | filter ${filter} | stats count() as n`;
}

async function stopQuery(logs: LogsPort, queryId: string): Promise<void> {
  try {
    await logs.stopQuery(queryId, AbortSignal.timeout(STOP_TIMEOUT_MS));
  } catch {
    // Best effort: the query ends by itself after Logs Insights' own timeout.
  }
}

async function logsCount(logs: LogsPort, probe: LogsProbe, ctx: Pick<ReadContext, 'at' | 'now' | 'preflight'>, signal: AbortSignal, pollMs = POLL_MS): Promise<Evidence> {
  const queryId = await logs.startQuery({ logGroup: probe.logGroup, start: windowStart(ctx, probe.window), end: ctx.at, query: countQuery(probe.filter) }, signal);
  if (!queryId) return { status: 'error', reason: 'logs:StartQuery returned no query id' };
  try {
    for (;;) {
      const res = await logs.getQueryResults(queryId, signal);
      switch (res.status) {
        case 'Complete': {
          // No row at all is Logs Insights' answer to "count() of nothing": 0 when it scanned records.
          const n = res.row.n === undefined || res.row.n === '' ? undefined : Number(res.row.n);
          if (n === undefined && res.recordsScanned === 0) return { status: 'nodata', reason: `no log events in ${probe.logGroup} ${windowText(ctx, probe.window)}` };
          if (n !== undefined && !Number.isFinite(n)) return { status: 'error', reason: `Logs Insights returned n = ${JSON.stringify(res.row.n)} on ${probe.logGroup}` };
          return { status: 'ok', value: n ?? 0, detail: `${res.recordsScanned} records scanned` };
        }
        case 'Failed':
        case 'Cancelled':
        case 'Timeout':
        case 'Unknown':
          return { status: 'error', reason: `Logs Insights query ${res.status.toLowerCase()} on ${probe.logGroup}` };
        default:
          // Preflight checks permissions, not the count: a running query has proved the reads.
          if (ctx.preflight) {
            await logs.stopQuery(queryId, signal);
            return { status: 'nodata', reason: 'preflight: the query ran and was stopped' };
          }
          await sleep(pollMs, signal);
      }
    }
  } catch (error) {
    // The deadline passed (or the walk was abandoned) with the query still running.
    if (signal.aborted) void stopQuery(logs, queryId);
    throw error;
  }
}

export const logsCountKind = defineProbeKind({
  kind: 'logs.count',
  schema: LogsCountProbe,
  describe: (p) => `Logs Insights ${p.logGroup} · count of ${p.filter} · last ${p.window}`,
  iamReads(p, iam) {
    iam.allow('LogsStartQuery', ['logs:StartQuery'], [iam.arn.logGroup(p.logGroup)]);
    // Query ids are not resources: these two are "*" only.
    iam.allow('LogsQueryResults', ['logs:GetQueryResults', 'logs:StopQuery'], ['*']);
  },
  simulate: (_, sim) => simulateScalar(sim),
  reader: {
    read(requests, ctx): Pending {
      const pending: Pending = new Map();
      for (const r of requests) {
        const { probe } = r;
        const signal = ctx.signal(r.timeoutMs);
        const work = ctx.ports.logs().then(async (logs) => {
          const e = await logsCount(logs, probe, ctx, signal).catch((error: unknown) =>
            signal.aborted
              ? ({ status: 'nodata', reason: `Logs Insights query on ${probe.logGroup} did not finish within ${r.timeoutMs} ms (stopped)` } as Evidence)
              : failure(error, `logs:StartQuery ${probe.logGroup}`),
          );
          return new Map([[r.id, e]]);
        });
        for (const [id, p] of shared([r.id], work, `logs:StartQuery ${probe.logGroup}`)) pending.set(id, p);
      }
      return pending;
    },
  },
});
