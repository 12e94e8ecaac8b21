import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetItemCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { preflight } from '../../src/walk/preflight.js';
import { Runbook } from '../../src/runbook/schema.js';
import { MangaopsError } from '../../src/core/errors.js';

const cw = mockClient(CloudWatchClient);
const ecs = mockClient(ECSClient);
const dynamo = mockClient(DynamoDBClient);
const logs = mockClient(CloudWatchLogsClient);

const runbook = Runbook.parse({
  id: 'pf',
  title: 'preflight',
  root: 'end',
  probes: {
    latency: { kind: 'metric', namespace: 'MangaAssist/Streaming', metric: 'first_token_latency_ms', stat: 'p95' },
    typo: { kind: 'metric', namespace: 'MangaAssist/Streaming', metric: 'first_token_latency_ms', dimensions: { Modle: 'haiku' }, stat: 'p95' },
    restarts: { kind: 'ecs.service', cluster: 'prod', service: 'orchestrator', field: 'taskRestarts' },
    stream: { kind: 'dynamodb.stream', table: 'manga-inventory' },
    stock: { kind: 'dynamodb.stock', table: 'manga-inventory', products: ['p1'] },
    gone: { kind: 'logs.count', logGroup: '/aws/apigateway/ws', filter: '@message like /GoneException/' },
  },
  nodes: { end: { type: 'outcome', title: 'end' } },
});

const denied = (what: string) => Object.assign(new Error(`User x is not authorized to perform: ${what}`), { name: 'AccessDeniedException' });

beforeEach(() => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
  cw.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'q0', StatusCode: 'Complete', Timestamps: [new Date()], Values: [300] },
      { Id: 'q1', StatusCode: 'Complete', Timestamps: [], Values: [] },
    ],
  });
  ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'orchestrator', status: 'ACTIVE', runningCount: 4, desiredCount: 4 }] });
  ecs.on(ListTasksCommand).rejects(denied('ecs:ListTasks'));
  dynamo.on(DescribeTableCommand).rejects(Object.assign(new Error('Requested resource not found: Table: manga-inventory not found'), { name: 'ResourceNotFoundException' }));
  dynamo.on(BatchGetItemCommand).resolves({ Responses: { 'manga-inventory': [] } });
  logs.on(StartQueryCommand).resolves({ queryId: 'q' });
  logs.on(GetQueryResultsCommand).resolves({ status: 'Running' });
  logs.on(StopQueryCommand).resolves({ success: true });
});

describe('GIVEN a runbook and the current credentials', () => {
  it('WHEN preflight runs THEN each read is called once and reported per probe as ok / denied / not found', async () => {
    const rows = await preflight(runbook, { config: { region: 'ap-northeast-1' }, env: {} });
    expect(rows.map((r) => [r.probe, r.call, r.status])).toEqual([
      ['latency', 'cloudwatch:GetMetricData', 'ok'],
      ['typo', 'cloudwatch:GetMetricData', 'not found'],
      ['restarts', 'ecs:DescribeServices', 'ok'],
      ['restarts', 'ecs:ListTasks', 'denied'],
      ['restarts', 'ecs:DescribeTasks', 'ok'],
      ['stream', 'dynamodb:DescribeTable', 'not found'],
      ['stock', 'dynamodb:BatchGetItem', 'ok'],
      ['gone', 'logs:StartQuery', 'ok'],
      ['gone', 'logs:GetQueryResults', 'ok'],
      ['gone', 'logs:StopQuery', 'ok'],
    ]);
    // One batched GetMetricData for every CloudWatch probe, as in a walk.
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    expect(ecs.commandCalls(DescribeTasksCommand)).toHaveLength(0);
    expect(rows.find((r) => r.status === 'denied')!.detail).toMatch(/not authorized to perform: ecs:ListTasks/);
  });

  it('WHEN the credentials have expired THEN preflight fails once with the fix-it line', async () => {
    cw.on(GetMetricDataCommand).rejects(Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException' }));
    await expect(preflight(runbook, { config: {}, env: {}, profile: 'oncall' })).rejects.toBeInstanceOf(MangaopsError);
  });
});
