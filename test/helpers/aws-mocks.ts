// The MangaAssist platform as AWS would answer it, on aws-sdk-client-mock over the real SDK
// clients (ECS, OpenSearch Serverless, Service Quotas), plus a local HTTP server standing in
// for the collection endpoint (SigV4-signed searches land there) and a recording
// session-manager-plugin. Tests read `mutations()` — every call that is not a read — to prove
// that dry-run, drills and a "no" change nothing.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  type Service,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { BatchGetCollectionCommand, BatchGetCollectionGroupCommand, GetAccountSettingsCommand, OpenSearchServerlessClient } from '@aws-sdk/client-opensearchserverless';
import { GetServiceQuotaCommand, ListRequestedServiceQuotaChangeHistoryByQuotaCommand, ServiceQuotasClient } from '@aws-sdk/client-service-quotas';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { liveAoss, signedSearch } from '../../src/capabilities/aoss/live.js';
import { liveEcs } from '../../src/capabilities/ecs/live.js';
import { liveQuotas } from '../../src/capabilities/quotas/live.js';
import type { Ports } from '../../src/capabilities/ports.js';
import type { SessionPlugin } from '../../src/capabilities/ecs/port.js';

export const REGION = 'ap-northeast-1';
export const CLUSTER = 'mangaassist-prod';
export const SERVICE = 'orchestrator';
export const CONTAINER = 'orchestrator';
export const TD12 = `arn:aws:ecs:${REGION}:123456789012:task-definition/orchestrator:12`;
export const TD11 = `arn:aws:ecs:${REGION}:123456789012:task-definition/orchestrator:11`;
export const TD13 = `arn:aws:ecs:${REGION}:123456789012:task-definition/orchestrator:13`;
export const TASKS = [1, 2, 3, 4].map((i) => `arn:aws:ecs:${REGION}:123456789012:task/${CLUSTER}/task${i}`);

/** A task definition as DescribeTaskDefinition returns it: read-only fields included. */
export function taskDefinition(arn = TD12, env: Record<string, string> = { BEDROCK_POOL_SIZE: '5', BEDROCK_KEEPALIVE_INTERVAL: '30' }): TaskDefinition {
  const revision = Number(arn.split(':').pop());
  return {
    taskDefinitionArn: arn,
    family: 'orchestrator',
    revision,
    status: 'ACTIVE',
    taskRoleArn: 'arn:aws:iam::123456789012:role/orchestrator-task',
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    networkMode: 'awsvpc',
    requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.logging-driver.awslogs' }],
    compatibilities: ['EC2', 'FARGATE'],
    requiresCompatibilities: ['FARGATE'],
    cpu: '1024',
    memory: '2048',
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    registeredAt: new Date('2026-11-20T09:00:00Z'),
    registeredBy: 'arn:aws:iam::123456789012:role/deploy',
    containerDefinitions: [
      {
        name: CONTAINER,
        image: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/orchestrator:2026.11.27',
        essential: true,
        environment: [...Object.entries(env).map(([name, value]) => ({ name, value })), { name: 'CHUNK_BATCH_SIZE', value: '3' }],
        secrets: [{ name: 'REDIS_AUTH', valueFrom: 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:redis' }],
      },
      { name: 'log-router', image: 'public.ecr.aws/aws-observability/aws-for-fluent-bit:stable', essential: false },
    ],
  };
}

export function service(overrides: Partial<Service> = {}): Service {
  const desired = overrides.desiredCount ?? 4;
  const running = overrides.runningCount ?? desired;
  const td = overrides.taskDefinition ?? TD12;
  return {
    serviceName: SERVICE,
    clusterArn: `arn:aws:ecs:${REGION}:123456789012:cluster/${CLUSTER}`,
    status: 'ACTIVE',
    desiredCount: desired,
    runningCount: running,
    pendingCount: 0,
    taskDefinition: td,
    deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: td, desiredCount: desired, runningCount: running, pendingCount: 0, rolloutState: 'COMPLETED' }],
    ...overrides,
  };
}

/** The read calls of each API: anything else is a mutation. */
const READS = /^(Describe|List|Get|BatchGet)/;

export interface SearchServer {
  url: string;
  requests: { method: string; url: string; authorization: string; body: string }[];
  /** Fail these request numbers (1-based) with a 500. */
  failOn: Set<number>;
  close(): Promise<void>;
}

export async function startSearchServer(): Promise<SearchServer> {
  const requests: SearchServer['requests'] = [];
  const failOn = new Set<number>();
  const read = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let body = '';
      req.on('data', (b: Buffer) => (body += b.toString()));
      req.on('end', () => resolve(body));
    });
  const server: Server = createServer(async (req, res) => {
    const body = await read(req);
    requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: String(req.headers.authorization ?? ''), body });
    res.setHeader('content-type', 'application/json');
    if (failOn.has(requests.length)) {
      res.statusCode = 500;
      res.end(JSON.stringify({ error: { type: 'internal' } }));
      return;
    }
    res.end(JSON.stringify({ took: 7, timed_out: false, hits: { total: { value: 3, relation: 'eq' }, hits: [] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, failOn, close: () => new Promise((r) => server.close(() => r())) };
}

export interface PluginCall {
  target: string;
  sessionId?: string;
}

/** A session-manager-plugin that records its runs; `exitCodes` by task id (default 0). */
export function recordingPlugin(options: { available?: boolean; exitCodes?: Record<string, number>; delay?: () => Promise<void> } = {}) {
  const runs: PluginCall[] = [];
  let active = 0;
  let maxActive = 0;
  const plugin: SessionPlugin = {
    async check() {
      return options.available === false ? { ok: false, reason: 'session-manager-plugin is not on PATH' } : { ok: true, version: '1.2.650.0' };
    },
    async run({ session, target }) {
      runs.push({ target, sessionId: session.session.sessionId });
      active++;
      maxActive = Math.max(maxActive, active);
      await (options.delay?.() ?? new Promise((r) => setTimeout(r, 5)));
      active--;
      const task = target.split('_')[1] ?? '';
      const code = options.exitCodes?.[task] ?? 0;
      return { exitCode: code, output: code ? 'pool warm-up failed\n' : 'warmed 5 connections\n' };
    },
  };
  return { plugin, runs, maxActive: () => maxActive };
}

export interface MockedAws {
  ecs: AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  aoss: AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  quotas: AwsStub<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  search: SearchServer;
  plugin: ReturnType<typeof recordingPlugin>;
  ports: Ports;
  /** Every non-read call made: SDK commands by name, searches, plugin sessions. */
  mutations(): string[];
  restore(): Promise<void>;
}

/** GIVEN the MangaAssist platform as AWS answers it: 4 tasks on orchestrator:12, a collection in a group at min 2 OCUs, the Sonnet quota at 200,000. */
export async function mockAws(options: { inGroup?: boolean; plugin?: ReturnType<typeof recordingPlugin> } = {}): Promise<MockedAws> {
  const search = await startSearchServer();
  const ecs = mockClient(ECSClient);
  const aoss = mockClient(OpenSearchServerlessClient);
  const quotas = mockClient(ServiceQuotasClient);

  ecs.on(DescribeServicesCommand).resolves({ services: [service()] });
  ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const arn = [TD12, TD11, TD13].find((a) => a === input.taskDefinition || a.endsWith(`/${input.taskDefinition}`));
    if (!arn) throw Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' });
    const env = arn === TD11 ? { BEDROCK_POOL_SIZE: '4', BEDROCK_KEEPALIVE_INTERVAL: '30' } : arn === TD13 ? { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } : undefined;
    return { taskDefinition: taskDefinition(arn, env), tags: [{ key: 'app', value: 'mangaassist' }, { key: 'team', value: 'platform' }] };
  });
  ecs.on(ListTasksCommand).resolves({ taskArns: TASKS });
  ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: input.tasks.map((arn) => ({
      taskArn: arn,
      lastStatus: 'RUNNING',
      enableExecuteCommand: true,
      containers: [{ name: CONTAINER, runtimeId: `${arn.split('/').pop()}-0123456789`, lastStatus: 'RUNNING', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] }],
    })),
  }));

  const inGroup = options.inGroup ?? true;
  aoss.on(BatchGetCollectionCommand).resolves({
    collectionDetails: [{ id: 'manga0products0id00', name: 'manga-products', status: 'ACTIVE', type: 'VECTORSEARCH', collectionEndpoint: search.url, ...(inGroup ? { collectionGroupName: 'manga-group' } : {}) }],
  });
  aoss.on(BatchGetCollectionGroupCommand).resolves({
    collectionGroupDetails: [{ id: 'cg0manga', name: 'manga-group', capacityLimits: { minSearchCapacityInOCU: 2, maxSearchCapacityInOCU: 10, minIndexingCapacityInOCU: 2, maxIndexingCapacityInOCU: 8 }, currentCapacity: { search: { capacityInOcu: 2 } } }],
  });
  aoss.on(GetAccountSettingsCommand).resolves({ accountSettingsDetail: { capacityLimits: { maxSearchCapacityInOCU: 10, maxIndexingCapacityInOCU: 10 } } });

  quotas.on(GetServiceQuotaCommand).resolves({ Quota: { ServiceCode: 'bedrock', QuotaCode: 'L-F4DDD3EB', QuotaName: 'Tokens per minute for Claude 3 Sonnet', Value: 200000, Adjustable: true } });
  quotas.on(ListRequestedServiceQuotaChangeHistoryByQuotaCommand).resolves({ RequestedQuotas: [] });

  const plugin = options.plugin ?? recordingPlugin();
  const aossPort = liveAoss(new OpenSearchServerlessClient({ region: REGION }), signedSearch({ region: REGION, getCredentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }) }));
  const unexpected = (what: string) => async (): Promise<never> => {
    throw new Error(`unexpected use of the ${what} port`);
  };
  const ports: Ports = {
    cloudwatch: unexpected('CloudWatch'),
    logs: unexpected('CloudWatch Logs'),
    ecs: async () => liveEcs(new ECSClient({ region: REGION }), plugin.plugin),
    aoss: async () => aossPort,
    quotas: async () => liveQuotas(new ServiceQuotasClient({ region: REGION })),
    redis: async () => {
      throw new Error('unexpected use of the Redis port');
    },
    dynamo: async () => {
      throw new Error('unexpected use of the DynamoDB port');
    },
    async close() {},
  };
  const names = (stub: AwsStub<any, any, any>) => stub.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, '')); // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    ecs,
    aoss,
    quotas,
    search,
    plugin,
    ports,
    mutations: () => [
      ...names(ecs).filter((n) => !READS.test(n)).map((n) => `ECS ${n}`),
      ...names(aoss).filter((n) => !READS.test(n)).map((n) => `OpenSearchServerless ${n}`),
      ...names(quotas).filter((n) => !READS.test(n)).map((n) => `ServiceQuotas ${n}`),
      ...search.requests.map((r) => `search ${r.method} ${r.url}`),
      ...plugin.runs.map((r) => `session ${r.target}`),
    ],
    async restore() {
      ecs.restore();
      aoss.restore();
      quotas.restore();
      await search.close();
    },
  };
}
