// The live CloudWatch port on the SDK client of capabilities/aws.ts (created lazily there,
// with its region policy, credential chain and adaptive retry).
import type { CloudWatchClient, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { chunks } from '../../core/async.js';
import { waitingFor } from '../../core/deadline.js';
import type { Aws, CloudWatchSdk, Sdk } from '../aws.js';
import { MAX_QUERIES, type CloudWatchPort, type MetricQuery, type SeriesResult } from './port.js';

/** A runaway NextToken loop stops here; what came so far is reported as partial. */
const MAX_PAGES = 50;

function toQuery({ id, metric }: MetricQuery): MetricDataQuery {
  return {
    Id: id,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.metric,
        Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })),
      },
      Period: metric.period,
      Stat: metric.stat,
    },
  };
}

async function fetchChunk(
  cw: Sdk<CloudWatchClient, CloudWatchSdk>,
  queries: MetricQuery[],
  start: Date,
  end: Date,
  signal: AbortSignal | undefined,
  out: Map<string, SeriesResult>,
): Promise<void> {
  let token: string | undefined;
  let pages = 0;
  const common: string[] = [];
  for (const q of queries) out.set(q.id, { points: [], status: 'Complete', messages: [] });
  do {
    const input = {
      MetricDataQueries: queries.map(toQuery),
      StartTime: start,
      EndTime: end,
      ScanBy: 'TimestampAscending' as const,
      ...(token && { NextToken: token }),
    };
    const res = await waitingFor('CloudWatch GetMetricData', (abortSignal) => cw.client.send(new cw.sdk.GetMetricDataCommand(input), { abortSignal }), signal);
    pages++;
    for (const m of res.Messages ?? []) common.push(`${m.Code ?? ''}: ${m.Value ?? ''}`.trim());
    for (const r of res.MetricDataResults ?? []) {
      const entry = r.Id && out.get(r.Id);
      if (!entry) continue;
      const ts = r.Timestamps ?? [];
      const vs = r.Values ?? [];
      for (let i = 0; i < Math.min(ts.length, vs.length); i++) entry.points.push({ t: new Date(ts[i]!).getTime(), v: vs[i]! });
      entry.status = r.StatusCode ?? entry.status;
      for (const m of r.Messages ?? []) entry.messages.push(`${m.Code ?? ''}: ${m.Value ?? ''}`.trim());
    }
    token = res.NextToken || undefined;
  } while (token && pages < MAX_PAGES);
  for (const entry of out.values()) {
    entry.points.sort((a, b) => a.t! - b.t!);
    entry.messages.push(...common);
    if (token) {
      entry.status = 'PartialData';
      entry.messages.push(`stopped after ${MAX_PAGES} pages`);
    }
  }
}

export function createLiveCloudWatch(aws: Pick<Aws, 'cloudwatch'>): CloudWatchPort {
  return {
    async getMetricData(queries, start, end, signal) {
      const cw = await aws.cloudwatch();
      const out = new Map<string, SeriesResult>();
      await Promise.all(chunks(queries, MAX_QUERIES).map((chunk) => fetchChunk(cw, chunk, start, end, signal, out)));
      return out;
    },
  };
}
