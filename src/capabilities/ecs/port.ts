// The ECS port: the few calls the ECS probes and actions make, with the shapes they read. Task
// definitions keep the SDK's own types (type-only imports: nothing loads at runtime), because
// a new revision must carry every field of the old one that RegisterTaskDefinition accepts.
import type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';

export type { RegisterTaskDefinitionCommandInput, Tag, TaskDefinition };

export interface EcsDeployment {
  id: string;
  /** PRIMARY (the newest), ACTIVE (being replaced), INACTIVE. */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** IN_PROGRESS, COMPLETED, FAILED (circuit breaker). */
  rolloutState?: string;
  rolloutStateReason?: string;
  /** Epoch milliseconds. */
  createdAt?: number;
}

/** A service event ("(service orchestrator) was unable to place a task …"). */
export interface EcsEvent {
  id?: string;
  /** Epoch milliseconds. */
  createdAt?: number;
  message: string;
}

export interface EcsService {
  serviceName: string;
  clusterArn?: string;
  status: string;
  /** Undefined when ECS did not say: an unknown count is never read as 0 tasks. */
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  taskDefinition: string;
  deployments: EcsDeployment[];
  enableExecuteCommand?: boolean;
  /** minimumHealthyPercent / maximumPercent, for the restart's plan. */
  deploymentConfiguration?: { minimumHealthyPercent?: number; maximumPercent?: number };
  /** The service's recent events, newest first (ECS keeps the last 100). */
  events: EcsEvent[];
}

export interface EcsContainer {
  name: string;
  runtimeId?: string;
  lastStatus?: string;
  /** The ExecuteCommandAgent's status (RUNNING when ECS Exec works). */
  execAgent?: string;
}

export interface EcsTask {
  taskArn: string;
  lastStatus?: string;
  enableExecuteCommand?: boolean;
  containers: EcsContainer[];
  /** Epoch milliseconds, for a stopped task. */
  stoppedAt?: number;
  /** Epoch milliseconds: when ECS began stopping it (set before stoppedAt, while it drains). */
  stoppingAt?: number;
  stopCode?: string;
  stoppedReason?: string;
}

/** ExecuteCommand's answer: the Session Manager session the plugin connects to. */
export interface ExecSession {
  clusterArn: string;
  taskArn: string;
  containerName: string;
  session: { sessionId?: string; streamUrl?: string; tokenValue?: string };
}

export interface UpdateServiceInput {
  cluster: string;
  service: string;
  desiredCount?: number;
  taskDefinition?: string;
  forceNewDeployment?: boolean;
}

/** The session-manager-plugin, run as the AWS CLI runs it after ExecuteCommand. */
export interface SessionPlugin {
  /** At plan time: is it on PATH, and which version. */
  check(): Promise<{ ok: true; version: string } | { ok: false; reason: string }>;
  /** Run one session to its end; output is the command's (the last few KB). */
  run(input: { session: ExecSession; target: string; timeoutMs: number }): Promise<{ exitCode: number; output: string }>;
}

export interface DescribedServices {
  /** By the name (or ARN) asked for. */
  found: Map<string, EcsService>;
  /** By the name asked for: ECS's reason (MISSING). */
  missing: Map<string, string>;
}

export interface EcsPort {
  /** DescribeServices, 10 services a call. */
  describeServices(cluster: string, services: string[], signal?: AbortSignal): Promise<DescribedServices>;
  updateService(input: UpdateServiceInput): Promise<EcsService>;
  /** With `include: ['TAGS']`: the tags come back beside the definition. */
  describeTaskDefinition(taskDefinition: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<{ taskDefinitionArn: string; revision: number }>;
  /** The service's tasks in that desired status (every page). */
  listTasks(cluster: string, service: string, status: 'RUNNING' | 'STOPPED', signal?: AbortSignal): Promise<string[]>;
  /** DescribeTasks, 100 tasks a call. */
  describeTasks(cluster: string, taskArns: string[], signal?: AbortSignal): Promise<EcsTask[]>;
  executeCommand(input: { cluster: string; task: string; container: string; command: string }): Promise<ExecSession>;
  readonly sessionPlugin: SessionPlugin;
}

/** One service, or undefined when ECS does not know it (or it is INACTIVE-only). */
export async function describeService(ecs: EcsPort, cluster: string, service: string): Promise<EcsService | undefined> {
  return (await ecs.describeServices(cluster, [service])).found.get(service);
}
