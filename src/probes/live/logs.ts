// Logs Insights counts: StartQuery (`fields @timestamp | filter <filter> | stats count() as n`)
// over the probe's window, GetQueryResults polled until Complete under the probe's deadline,
// StopQuery when the deadline passes so no query keeps scanning (and billing) after the walk
// has moved on. Value = the count. Zero matches over a window that scanned records is 0; a
// window that scanned nothing at all is no data (a silent log group is not a healthy one).
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { LogsSdk, Sdk } from '../../aws/clients.js';
import type { Evidence } from '../../engine/evidence.js';
import type { Probe } from '../../runbook/schema.js';
import type { ProbeRequest } from '../port.js';
import { failure, shared, sleep, windowStart, windowText, type LiveContext, type Pending } from './context.js';

type LogsProbe = Extract<Probe, { kind: 'logs.count' }>;
type Logs = Sdk<CloudWatchLogsClient, LogsSdk>;

/** How often GetQueryResults is asked while the query runs. */
export const POLL_MS = 250;
const STOP_TIMEOUT_MS = 2000;

export function countQuery(filter: string): string {
  return `fields @timestamp | filter ${filter} | stats count() as n`;
}

async function stopQuery(logs: Logs, queryId: string): Promise<void> {
  try {
    await logs.client.send(new logs.sdk.StopQueryCommand({ queryId }), { abortSignal: AbortSignal.timeout(STOP_TIMEOUT_MS) });
  } catch {
    // Best effort: the query ends by itself after Logs Insights' own timeout.
  }
}

export async function logsCount(logs: Logs, probe: LogsProbe, ctx: Pick<LiveContext, 'at' | 'now'>, signal: AbortSignal, pollMs = POLL_MS): Promise<Evidence> {
  const start = await logs.client.send(
    new logs.sdk.StartQueryCommand({
      logGroupName: probe.logGroup,
      startTime: Math.floor(windowStart(ctx, probe.window).getTime() / 1000),
      endTime: Math.floor(ctx.at.getTime() / 1000),
      queryString: countQuery(probe.filter),
    }),
    { abortSignal: signal },
  );
  const queryId = start.queryId;
  if (!queryId) return { status: 'error', reason: 'logs:StartQuery returned no query id' };
  try {
    for (;;) {
      const res = await logs.client.send(new logs.sdk.GetQueryResultsCommand({ queryId }), { abortSignal: signal });
      switch (res.status) {
        case 'Complete': {
          const n = res.results?.[0]?.find((f) => f.field === 'n')?.value;
          const scanned = res.statistics?.recordsScanned ?? 0;
          if (n === undefined && scanned === 0) return { status: 'nodata', reason: `no log events in ${probe.logGroup} ${windowText(ctx, probe.window)}` };
          return { status: 'ok', value: Number(n ?? 0), detail: `${scanned} records scanned` };
        }
        case 'Failed':
        case 'Cancelled':
        case 'Timeout':
        case 'Unknown':
          return { status: 'error', reason: `Logs Insights query ${res.status?.toLowerCase()} on ${probe.logGroup}` };
        default:
          await sleep(pollMs, signal);
      }
    }
  } catch (error) {
    // The deadline passed (or the walk was abandoned) with the query still running.
    if (signal.aborted) void stopQuery(logs, queryId);
    throw error;
  }
}

export function gatherLogs(requests: ProbeRequest[], ctx: LiveContext): Pending {
  const pending: Pending = new Map();
  for (const r of requests) {
    const { probe } = r;
    if (probe.kind !== 'logs.count') continue;
    const signal = ctx.signal(r.timeoutMs);
    const work = ctx.aws.logs().then(async (logs) => {
      const e = await logsCount(logs, probe, ctx, signal).catch((error: unknown) =>
        signal.aborted ? ({ status: 'nodata', reason: `Logs Insights query on ${probe.logGroup} did not finish within ${r.timeoutMs} ms (stopped)` } as Evidence) : failure(error, `logs:StartQuery ${probe.logGroup}`),
      );
      return new Map([[r.id, e]]);
    });
    for (const [id, p] of shared([r.id], work, `logs:StartQuery ${probe.logGroup}`)) pending.set(id, p);
  }
  return pending;
}
