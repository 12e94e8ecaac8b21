// The ECS port: the few calls the ECS actions make, with the shapes they read. Task
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
}

export interface EcsService {
  serviceName: string;
  clusterArn?: string;
  status: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  taskDefinition: string;
  deployments: EcsDeployment[];
  enableExecuteCommand?: boolean;
  /** minimumHealthyPercent / maximumPercent, for the restart's plan. */
  deploymentConfiguration?: { minimumHealthyPercent?: number; maximumPercent?: number };
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

export interface EcsPort {
  describeService(cluster: string, service: string): Promise<EcsService | undefined>;
  updateService(input: UpdateServiceInput): Promise<EcsService>;
  /** With `include: ['TAGS']`: the tags come back beside the definition. */
  describeTaskDefinition(taskDefinition: string): Promise<{ taskDefinition: TaskDefinition; tags: Tag[] }>;
  registerTaskDefinition(input: RegisterTaskDefinitionCommandInput): Promise<{ taskDefinitionArn: string; revision: number }>;
  /** The RUNNING tasks of a service. */
  listTasks(cluster: string, service: string): Promise<string[]>;
  describeTasks(cluster: string, taskArns: string[]): Promise<EcsTask[]>;
  executeCommand(input: { cluster: string; task: string; container: string; command: string }): Promise<ExecSession>;
  readonly sessionPlugin: SessionPlugin;
}
