import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { gatherAll, probe, requests, source } from '../../helpers/live-probes.js';

const logs = mockClient(CloudWatchLogsClient);
const at = new Date('2026-03-04T11:15:00Z');
const now = () => at.getTime() + 60_000;
const gone = probe({ kind: 'logs.count', logGroup: '/aws/apigateway/mangaassist-ws', filter: '@message like /GoneException/', window: '30m' });

beforeEach(() => {
  logs.reset();
  logs.on(StartQueryCommand).resolves({ queryId: 'q-1' });
});

describe('GIVEN a Logs Insights count probe', () => {
  it('WHEN gathered THEN StartQuery counts the filter over the window and GetQueryResults is polled until Complete', async () => {
    logs.on(GetQueryResultsCommand)
      .resolvesOnce({ status: 'Scheduled' })
      .resolvesOnce({ status: 'Running' })
      .resolves({ status: 'Complete', results: [[{ field: 'n', value: '57' }]], statistics: { recordsScanned: 12000 } });
    const { evidence } = await gatherAll(source({ at, now }), requests({ gone }));
    expect(logs.commandCalls(StartQueryCommand)[0]!.args[0].input).toEqual({
      logGroupName: '/aws/apigateway/mangaassist-ws',
      startTime: at.getTime() / 1000 - 1800,
      endTime: at.getTime() / 1000,
      queryString: 'fields @timestamp | filter @message like /GoneException/ | stats count() as n',
    });
    expect(logs.commandCalls(GetQueryResultsCommand)).toHaveLength(3);
    expect(evidence.gone).toEqual({ status: 'ok', value: 57, detail: '12000 records scanned' });
  });

  it('WHEN nothing matches in a group that has events THEN the count is 0', async () => {
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [], statistics: { recordsScanned: 800 } });
    expect((await gatherAll(source({ at, now }), requests({ gone }))).evidence.gone).toMatchObject({ status: 'ok', value: 0 });
  });

  it('WHEN the group had no events at all in the window THEN it is no data, not 0', async () => {
    logs.on(GetQueryResultsCommand).resolves({ status: 'Complete', results: [], statistics: { recordsScanned: 0 } });
    expect((await gatherAll(source({ at, now }), requests({ gone }))).evidence.gone).toEqual({
      status: 'nodata',
      reason: 'no log events in /aws/apigateway/mangaassist-ws in the last 30m',
    });
  });

  it('WHEN the query outlasts the probe deadline THEN the card is no data and the query is stopped', async () => {
    logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
    logs.on(StopQueryCommand).resolves({ success: true });
    const t0 = Date.now();
    const { evidence } = await gatherAll(source({ at, now }), requests({ gone }, 400));
    expect(Date.now() - t0).toBeLessThan(1500);
    expect(evidence.gone).toMatchObject({ status: 'nodata' });
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.commandCalls(StopQueryCommand).map((c) => c.args[0].input)).toEqual([{ queryId: 'q-1' }]);
  });

  it('WHEN the query fails THEN the card is an error naming the group', async () => {
    logs.on(GetQueryResultsCommand).resolves({ status: 'Failed' });
    expect((await gatherAll(source({ at, now }), requests({ gone }))).evidence.gone).toEqual({
      status: 'error',
      reason: 'Logs Insights query failed on /aws/apigateway/mangaassist-ws',
    });
  });

  it('WHEN the log group does not exist THEN the card says not found', async () => {
    logs.on(StartQueryCommand).rejects(Object.assign(new Error('Log group does not exist'), { name: 'ResourceNotFoundException' }));
    expect((await gatherAll(source({ at, now }), requests({ gone }))).evidence.gone).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/^logs:StartQuery \/aws\/apigateway\/mangaassist-ws: not found/),
    });
  });
});
