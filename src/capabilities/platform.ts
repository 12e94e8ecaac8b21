// An in-memory MangaAssist platform for drills and tests, seeded from the config with the
// seed's numbers: the orchestrator service at 4 tasks, BEDROCK_POOL_SIZE 5, the collection
// at min 2 search OCUs. Nothing here touches a network. Deployments converge one task per
// DescribeServices, so a verify loop sees progress without real time passing.
import type { Tag, TaskDefinition } from '@aws-sdk/client-ecs';
import type { Config } from '../core/config.js';
import type { AccountCapacityLimits, AossCollection, AossCollectionGroup } from './aoss/port.js';
import type { EcsDeployment, EcsService, EcsTask } from './ecs/port.js';
import type { QuotaInfo, QuotaRequest } from './quotas/port.js';

export interface SimService extends EcsService {
  cluster: string;
  // The drill world always knows its counts.
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
}

export interface SimPlatform {
  region: string;
  services: SimService[];
  taskDefinitions: Map<string, { taskDefinition: TaskDefinition; tags: Tag[] }>;
  tasks: EcsTask[];
  collections: AossCollection[];
  groups: AossCollectionGroup[];
  account: AccountCapacityLimits;
  quotas: QuotaInfo[];
  requests: QuotaRequest[];
  /** Every mutating call made, in order ("ECS UpdateService …"): what a drill did. */
  mutations: string[];
  /** Counter for ids. */
  seq: number;
}

export function tdArn(region: string, family: string, revision: number): string {
  return `arn:aws:ecs:${region}:123456789012:task-definition/${family}:${revision}`;
}

export function seedPlatform(config: Config = {}): SimPlatform {
  const region = config.region ?? 'ap-northeast-1';
  const cluster = config.ecs?.cluster ?? 'mangaassist-prod';
  const service = config.ecs?.service ?? 'orchestrator';
  const container = config.ecs?.container ?? 'orchestrator';
  const collection = config.aoss?.collection ?? 'manga-products';
  const collectionId = config.aoss?.collectionId ?? 'manga0products0id00';
  const arn = tdArn(region, service, 12);
  const taskDefinition: TaskDefinition = {
    taskDefinitionArn: arn,
    family: service,
    revision: 12,
    status: 'ACTIVE',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    compatibilities: ['EC2', 'FARGATE'],
    cpu: '1024',
    memory: '2048',
    containerDefinitions: [
      {
        name: container,
        image: `123456789012.dkr.ecr.${region}.amazonaws.com/${service}:2026.11.27`,
        essential: true,
        environment: [
          { name: 'BEDROCK_POOL_SIZE', value: '5' },
          { name: 'BEDROCK_KEEPALIVE_INTERVAL', value: '30' },
          { name: 'CHUNK_BATCH_SIZE', value: '3' },
        ],
      },
    ],
    registeredAt: new Date('2026-11-20T09:00:00Z'),
    registeredBy: 'arn:aws:iam::123456789012:role/deploy',
  };
  const tasks: EcsTask[] = [1, 2, 3, 4].map((i) => ({
    taskArn: `arn:aws:ecs:${region}:123456789012:task/${cluster}/0000000000000000000000000000000${i}`,
    lastStatus: 'RUNNING',
    enableExecuteCommand: true,
    containers: [{ name: container, runtimeId: `0000000000000000000000000000000${i}-1111111111`, lastStatus: 'RUNNING', execAgent: 'RUNNING' }],
  }));
  return {
    region,
    services: [
      {
        cluster,
        serviceName: service,
        status: 'ACTIVE',
        desiredCount: 4,
        runningCount: 4,
        pendingCount: 0,
        taskDefinition: arn,
        enableExecuteCommand: true,
        deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 200 },
        deployments: [{ id: 'ecs-svc/0000000000000000001', status: 'PRIMARY', taskDefinition: arn, desiredCount: 4, runningCount: 4, pendingCount: 0, rolloutState: 'COMPLETED' }],
        events: [],
      },
    ],
    taskDefinitions: new Map([[arn, { taskDefinition, tags: [{ key: 'app', value: 'mangaassist' }] }]]),
    tasks,
    collections: [
      {
        id: collectionId,
        name: collection,
        status: 'ACTIVE',
        collectionGroupName: `${collection}-group`,
        endpoint: `https://${collectionId}.${region}.aoss.amazonaws.com`,
        type: 'VECTORSEARCH',
      },
    ],
    groups: [{ id: 'cg0manga0products', name: `${collection}-group`, capacityLimits: { minSearchCapacityInOCU: 2, maxSearchCapacityInOCU: 10, minIndexingCapacityInOCU: 2, maxIndexingCapacityInOCU: 10 }, currentSearchOCU: 2 }],
    account: { maxSearchCapacityInOCU: 10, maxIndexingCapacityInOCU: 10 },
    quotas: [{ serviceCode: 'bedrock', quotaCode: config.bedrock?.sonnetQuotaCode ?? 'L-F4DDD3EB', name: 'On-demand model inference tokens per minute for Anthropic Claude 3 Sonnet', value: 200000, unit: 'None', adjustable: true }],
    requests: [],
    mutations: [],
    seq: 1,
  };
}

/** One DescribeServices' worth of progress: the primary deployment gains a task, old ones lose one. */
export function tick(s: SimService): void {
  const primary = s.deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return;
  primary.desiredCount = s.desiredCount;
  if (primary.runningCount < primary.desiredCount) primary.runningCount++;
  else if (primary.runningCount > primary.desiredCount) primary.runningCount--;
  const old = s.deployments.filter((d) => d !== primary);
  for (const d of old) d.runningCount = Math.max(0, d.runningCount - 1);
  s.deployments = [primary, ...old.filter((d) => d.runningCount > 0)];
  if (primary.runningCount === primary.desiredCount && s.deployments.length === 1) primary.rolloutState = 'COMPLETED';
  s.runningCount = s.deployments.reduce((n, d) => n + d.runningCount, 0);
  s.pendingCount = Math.max(0, s.desiredCount - primary.runningCount);
}

export function newDeployment(p: SimPlatform, s: SimService, taskDefinition: string): EcsDeployment {
  for (const d of s.deployments) d.status = 'ACTIVE';
  const d: EcsDeployment = { id: `ecs-svc/${String(++p.seq).padStart(19, '0')}`, status: 'PRIMARY', taskDefinition, desiredCount: s.desiredCount, runningCount: 0, pendingCount: s.desiredCount, rolloutState: 'IN_PROGRESS' };
  s.deployments.unshift(d);
  s.taskDefinition = taskDefinition;
  return d;
}
