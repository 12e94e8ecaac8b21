// The live CloudWatch Logs port on the SDK client of capabilities/aws.ts.
import { waitingFor } from '../../core/deadline.js';
import type { Aws } from '../aws.js';
import type { LogsPort } from './port.js';

export function createLiveLogs(aws: Pick<Aws, 'logs'>): LogsPort {
  return {
    async startQuery({ logGroup, start, end, query }, signal) {
      const { client, sdk } = await aws.logs();
      const input = { logGroupName: logGroup, startTime: Math.floor(start.getTime() / 1000), endTime: Math.floor(end.getTime() / 1000), queryString: query };
      const res = await waitingFor('CloudWatchLogs StartQuery', (abortSignal) => client.send(new sdk.StartQueryCommand(input), { abortSignal }), signal);
      return res.queryId;
    },
    async getQueryResults(queryId, signal) {
      const { client, sdk } = await aws.logs();
      const res = await waitingFor('CloudWatchLogs GetQueryResults', (abortSignal) => client.send(new sdk.GetQueryResultsCommand({ queryId }), { abortSignal }), signal);
      const row = Object.fromEntries((res.results?.[0] ?? []).flatMap((f) => (f.field ? [[f.field, f.value ?? '']] : [])));
      return { status: res.status ?? 'Unknown', row, recordsScanned: res.statistics?.recordsScanned ?? 0 };
    },
    async stopQuery(queryId, signal) {
      const { client, sdk } = await aws.logs();
      await waitingFor('CloudWatchLogs StopQuery', (abortSignal) => client.send(new sdk.StopQueryCommand({ queryId }), { abortSignal }), signal);
    },
  };
}
