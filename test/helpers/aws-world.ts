// A drill case as AWS would answer it: datapoints in each probe's window, a DescribeServices
// with its counts, a Logs Insights count, DynamoDB items. The real SDK clients are mocked
// with aws-sdk-client-mock (one mock per client class, shared by every test in a file).
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetItemCommand, DescribeTableCommand, DynamoDBClient, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, type Service, type Task } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import type { DrillCase, Probe, Runbook, SimulatedEvidence } from '../../src/runbook/schema.js';
import { durationMs } from '../../src/core/time.js';
import { regressWindows } from '../../src/capabilities/cloudwatch/regress.js';

export const cw = mockClient(CloudWatchClient);
export const ecs = mockClient(ECSClient);
export const dynamo = mockClient(DynamoDBClient);
export const logs = mockClient(CloudWatchLogsClient);

export const at = new Date('2026-03-04T11:15:00Z');
export const now = () => at.getTime() + 60_000;

export class Unrepresentable extends Error {}

type Point = { t: number; v: number };

/** n values spread evenly over [from, to), oldest first. */
function spread(values: number[], from: number, to: number): Point[] {
  const step = (to - from) / values.length;
  return values.map((v, i) => ({ t: Math.floor(from + i * step) + 1, v }));
}

function metricKey(namespace: string, metric: string, dimensions: Record<string, string>, stat: string): string {
  return JSON.stringify([namespace, metric, Object.entries(dimensions).sort(), stat]);
}

interface World {
  metrics: Map<string, { points: Point[]; status: MetricDataResult['StatusCode'] }>;
  services: Map<string, Service>;
  stopped: Map<string, Task[]>;
  streams: Map<string, boolean>;
  stock: Map<string, number>;
  activations: Map<string, Record<string, AttributeValue>[]>;
  logCounts: Map<string, number | null>;
  silentTables: Set<string>;
}

/** What AWS would answer for this drill case; probes are patched where the live source needs more than the tree says. */
export function worldOf(runbook: Runbook, drill: DrillCase): { world: World; probes: Record<string, Probe> } {
  const world: World = { metrics: new Map(), services: new Map(), stopped: new Map(), streams: new Map(), stock: new Map(), activations: new Map(), logCounts: new Map(), silentTables: new Set() };
  const probes: Record<string, Probe> = {};
  const atMs = at.getTime();
  for (const [id, original] of Object.entries(runbook.probes)) {
    let probe = original;
    const sim: SimulatedEvidence | undefined = drill.evidence[id];
    const missing = sim === undefined || (typeof sim === 'object' && !Array.isArray(sim) && ('nodata' in sim || 'error' in sim));
    const failed = typeof sim === 'object' && sim !== null && !Array.isArray(sim) && 'error' in sim;
    const numbers = typeof sim === 'number' ? [sim] : Array.isArray(sim) ? sim : undefined;
    switch (probe.kind) {
      case 'metric': {
        if (!missing && !numbers) throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        const from = atMs - durationMs(probe.window);
        const points = numbers ? spread(numbers, Math.max(from, atMs - numbers.length * probe.period * 1000), atMs) : [];
        world.metrics.set(metricKey(probe.namespace, probe.metric, probe.dimensions, probe.stat), { points, status: failed ? 'Forbidden' : 'Complete' });
        break;
      }
      case 'regress': {
        if (missing) break;
        if (typeof sim !== 'object' || !('before' in sim)) throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        const w = regressWindows(probe, at);
        const points = [...spread(sim.before, w.before.from.getTime(), w.before.to.getTime()), ...spread(sim.after, w.after.from.getTime(), w.after.to.getTime())];
        world.metrics.set(metricKey(probe.namespace, probe.metric, probe.dimensions, probe.stat), { points, status: 'Complete' });
        break;
      }
      case 'ecs.service': {
        const key = `${probe.cluster}/${probe.service}`;
        const service = world.services.get(key) ?? { serviceName: probe.service, status: 'ACTIVE', deployments: [] };
        world.services.set(key, service);
        if (missing) {
          if (probe.field === 'recentDeployments' || probe.field === 'taskRestarts') throw new Unrepresentable(`${id}: no data`);
          break;
        }
        if (typeof sim !== 'number') throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        if (probe.field === 'recentDeployments') {
          service.deployments = Array.from({ length: sim }, (_, i) => ({ status: i === 0 ? 'PRIMARY' : 'ACTIVE', createdAt: new Date(atMs - (i + 1) * 60_000) }));
        } else if (probe.field === 'taskRestarts') {
          world.stopped.set(key, Array.from({ length: sim }, (_, i) => ({ taskArn: `${key}/stopped-${i}`, stoppedAt: new Date(atMs - 60_000), stopCode: 'EssentialContainerExited' })));
        } else {
          service[probe.field] = sim;
        }
        break;
      }
      case 'ecs.events': {
        const key = `${probe.cluster}/${probe.service}`;
        const service = world.services.get(key) ?? { serviceName: probe.service, status: 'ACTIVE', deployments: [] };
        world.services.set(key, service);
        if (missing) break;
        if (typeof sim !== 'number') throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        const message = `(service ${probe.service}) was unable to place a task`;
        service.events = [...(service.events ?? []), ...Array.from({ length: sim }, (_, i) => ({ id: `${id}-${i}`, createdAt: new Date(atMs - (i + 1) * 60_000), message }))];
        break;
      }
      case 'dynamodb.stream':
        if (!missing && typeof sim !== 'boolean') throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        if (!missing) world.streams.set(probe.table, sim as boolean);
        break;
      case 'dynamodb.stock': {
        if (missing) break;
        if (typeof sim !== 'number') throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        // The tree reads the product ids from Redis, which the live source leaves to the
        // engineer; here the case's products are listed on the probe instead.
        const products = Array.from({ length: sim + 2 }, (_, i) => `${id}-p${i}`);
        products.forEach((p, i) => world.stock.set(p, i < sim ? 0 : 5));
        probe = { ...probe, products };
        break;
      }
      case 'dynamodb.activations': {
        // No data: the Scan does not answer in time (the case's own story).
        if (missing) {
          world.silentTables.add(probe.table);
          break;
        }
        if (typeof sim !== 'number') throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        const items = world.activations.get(probe.table) ?? [];
        for (let i = 0; i < sim; i++) {
          items.push({ intent: { S: probe.intent ?? 'any' }, version: { S: `v${i}` }, activated_at: { S: new Date(atMs - (i + 1) * 60_000).toISOString() } });
        }
        world.activations.set(probe.table, items);
        break;
      }
      case 'logs.count':
        if (!missing && typeof sim !== 'number') throw new Unrepresentable(`${id}: ${JSON.stringify(sim)}`);
        world.logCounts.set(`${probe.logGroup}\u0000${probe.filter}`, missing ? null : (sim as number));
        break;
    }
    probes[id] = probe;
  }
  return { world, probes };
}

export function mockAws(world: World) {
  cw.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => ({
    MetricDataResults: input.MetricDataQueries!.map((q) => {
      const m = q.MetricStat!.Metric!;
      const dims = Object.fromEntries((m.Dimensions ?? []).map((d) => [d.Name!, d.Value!]));
      const found = world.metrics.get(metricKey(m.Namespace!, m.MetricName!, dims, q.MetricStat!.Stat!));
      const points = (found?.points ?? []).filter((p) => p.t >= input.StartTime!.getTime() && p.t < input.EndTime!.getTime());
      return { Id: q.Id, StatusCode: found?.status ?? 'Complete', Timestamps: points.map((p) => new Date(p.t)), Values: points.map((p) => p.v) };
    }),
  }));
  ecs.on(DescribeServicesCommand).callsFake((input: { cluster: string; services: string[] }) => ({
    services: input.services.flatMap((s) => world.services.get(`${input.cluster}/${s}`) ?? []),
    failures: input.services.filter((s) => !world.services.has(`${input.cluster}/${s}`)).map((s) => ({ arn: s, reason: 'MISSING' })),
  }));
  ecs.on(ListTasksCommand).callsFake((input: { cluster: string; serviceName: string }) => ({
    taskArns: (world.stopped.get(`${input.cluster}/${input.serviceName}`) ?? []).map((t) => t.taskArn!),
  }));
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: [...world.stopped.values()].flat().filter((t) => input.tasks.includes(t.taskArn!)),
  }));
  dynamo.on(DescribeTableCommand).callsFake((input: { TableName: string }) => {
    if (!world.streams.has(input.TableName)) throw Object.assign(new Error('Requested resource not found'), { name: 'ResourceNotFoundException' });
    return { Table: { TableName: input.TableName, ...(world.streams.get(input.TableName) && { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }) } };
  });
  dynamo.on(BatchGetItemCommand).callsFake((input: { RequestItems: Record<string, { Keys: Record<string, AttributeValue>[] }> }) => {
    const [table, { Keys }] = Object.entries(input.RequestItems)[0]!;
    return {
      Responses: {
        [table]: Keys.flatMap((k) => {
          const [attr, v] = Object.entries(k)[0]!;
          const q = world.stock.get(v.S!);
          return q === undefined ? [] : [{ [attr]: v, quantity: { N: String(q) } }];
        }),
      },
    };
  });
  dynamo.on(ScanCommand).callsFake((input: { TableName: string; ExpressionAttributeValues?: Record<string, AttributeValue> }) => {
    if (world.silentTables.has(input.TableName)) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    const intent = input.ExpressionAttributeValues?.[':intent']?.S;
    return { Items: (world.activations.get(input.TableName) ?? []).filter((i) => !intent || i.intent!.S === intent) };
  });
  const queries = new Map<string, number | null>();
  logs.on(StartQueryCommand).callsFake((input: { logGroupName: string; queryString: string }) => {
    const key = [...world.logCounts.keys()].find((k) => {
      const [group, filter] = k.split('\u0000');
      return group === input.logGroupName && input.queryString.includes(`filter ${filter} |`);
    });
    const queryId = `q${queries.size}`;
    queries.set(queryId, key === undefined ? null : world.logCounts.get(key)!);
    return { queryId };
  });
  logs.on(GetQueryResultsCommand).callsFake((input: { queryId: string }) => {
    const n = queries.get(input.queryId);
    return n === null || n === undefined
      ? { status: 'Complete', results: [], statistics: { recordsScanned: 0 } }
      : { status: 'Complete', results: [[{ field: 'n', value: String(n) }]], statistics: { recordsScanned: 5000 } };
  });
}

