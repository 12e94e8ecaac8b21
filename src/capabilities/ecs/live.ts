// The live ECS port: the SDK client behind the narrow EcsPort — the one place each ECS call is
// written, for the probes and the actions alike — and the session-manager-plugin run the way
// the AWS CLI runs it for `aws ecs execute-command`.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ExecuteCommandCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type Service,
  type Task,
} from '@aws-sdk/client-ecs';
import { chunks } from '../../core/async.js';
import { waitingFor } from '../../core/deadline.js';
import type { Aws } from '../aws.js';
import type { EcsPort, EcsService, EcsTask, ExecSession, SessionPlugin } from './port.js';

const ms = (d: Date | undefined) => (d ? new Date(d).getTime() : undefined);

function toService(s: Service): EcsService {
  return {
    serviceName: s.serviceName ?? '',
    clusterArn: s.clusterArn,
    status: s.status ?? 'UNKNOWN',
    // Left undefined when absent: a count ECS did not return is unknown, not 0 tasks.
    desiredCount: s.desiredCount,
    runningCount: s.runningCount,
    pendingCount: s.pendingCount,
    taskDefinition: s.taskDefinition ?? '',
    enableExecuteCommand: s.enableExecuteCommand,
    deploymentConfiguration: s.deploymentConfiguration
      ? { minimumHealthyPercent: s.deploymentConfiguration.minimumHealthyPercent, maximumPercent: s.deploymentConfiguration.maximumPercent }
      : undefined,
    deployments: (s.deployments ?? []).map((d) => ({
      id: d.id ?? '',
      status: d.status ?? '',
      taskDefinition: d.taskDefinition ?? '',
      desiredCount: d.desiredCount ?? 0,
      runningCount: d.runningCount ?? 0,
      pendingCount: d.pendingCount ?? 0,
      rolloutState: d.rolloutState,
      rolloutStateReason: d.rolloutStateReason,
      createdAt: ms(d.createdAt),
    })),
    events: (s.events ?? []).map((e) => ({ id: e.id, createdAt: ms(e.createdAt), message: e.message ?? '' })),
  };
}

function toTask(t: Task): EcsTask {
  return {
    taskArn: t.taskArn ?? '',
    lastStatus: t.lastStatus,
    enableExecuteCommand: t.enableExecuteCommand,
    containers: (t.containers ?? []).map((c) => ({
      name: c.name ?? '',
      runtimeId: c.runtimeId,
      lastStatus: c.lastStatus,
      execAgent: c.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent')?.lastStatus,
    })),
    stoppedAt: ms(t.stoppedAt),
    stoppingAt: ms(t.stoppingAt),
    stopCode: t.stopCode,
    stoppedReason: t.stoppedReason,
  };
}

export function liveEcs(client: ECSClient, plugin: SessionPlugin): EcsPort {
  return {
    sessionPlugin: plugin,
    async describeServices(cluster, services, signal) {
      const found = new Map<string, EcsService>();
      const missing = new Map<string, string>();
      for (const names of chunks(services, 10)) {
        const res = await waitingFor(`ECS DescribeServices ${cluster}`, (abortSignal) => client.send(new DescribeServicesCommand({ cluster, services: names }), { abortSignal }), signal);
        // A name may come back twice (an INACTIVE service and its ACTIVE successor): the live one wins.
        for (const s of (res.services ?? []).sort((a, b) => Number(a.status !== 'INACTIVE') - Number(b.status !== 'INACTIVE'))) {
          const name = names.find((n) => n === s.serviceName || n === s.serviceArn);
          if (name) found.set(name, toService(s));
        }
        for (const f of res.failures ?? []) {
          const name = names.find((n) => f.arn === n || f.arn?.endsWith(`/${n}`)) ?? f.arn ?? '?';
          missing.set(name, f.reason ?? 'MISSING');
        }
      }
      return { found, missing };
    },
    async updateService(input) {
      const out = await waitingFor(`ECS UpdateService ${input.service}`, (abortSignal) => client.send(new UpdateServiceCommand(input), { abortSignal }));
      if (!out.service) throw new Error(`UpdateService returned no service for ${input.service}`);
      return toService(out.service);
    },
    async describeTaskDefinition(taskDefinition) {
      const out = await waitingFor('ECS DescribeTaskDefinition', (abortSignal) => client.send(new DescribeTaskDefinitionCommand({ taskDefinition, include: ['TAGS'] }), { abortSignal }));
      if (!out.taskDefinition) throw new Error(`task definition ${taskDefinition} not found`);
      return { taskDefinition: out.taskDefinition, tags: out.tags ?? [] };
    },
    async registerTaskDefinition(input) {
      const out = await waitingFor('ECS RegisterTaskDefinition', (abortSignal) => client.send(new RegisterTaskDefinitionCommand(input), { abortSignal }));
      const td = out.taskDefinition;
      if (!td?.taskDefinitionArn) throw new Error('RegisterTaskDefinition returned no task definition');
      return { taskDefinitionArn: td.taskDefinitionArn, revision: td.revision ?? 0 };
    },
    async listTasks(cluster, service, status, signal) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const input = { cluster, serviceName: service, desiredStatus: status, maxResults: 100, ...(nextToken && { nextToken }) };
        const out = await waitingFor(`ECS ListTasks ${service}`, (abortSignal) => client.send(new ListTasksCommand(input), { abortSignal }), signal);
        arns.push(...(out.taskArns ?? []));
        nextToken = out.nextToken || undefined;
      } while (nextToken);
      return arns;
    },
    async describeTasks(cluster, taskArns, signal) {
      const tasks: EcsTask[] = [];
      // DescribeTasks takes up to 100 tasks a call.
      for (const batch of chunks(taskArns, 100)) {
        const out = await waitingFor('ECS DescribeTasks', (abortSignal) => client.send(new DescribeTasksCommand({ cluster, tasks: batch }), { abortSignal }), signal);
        tasks.push(...(out.tasks ?? []).map(toTask));
      }
      return tasks;
    },
    async executeCommand({ cluster, task, container, command }): Promise<ExecSession> {
      // ECS Exec only supports interactive sessions; the plugin carries the command's output.
      const out = await waitingFor('ECS ExecuteCommand', (abortSignal) => client.send(new ExecuteCommandCommand({ cluster, task, container, command, interactive: true }), { abortSignal }));
      return {
        clusterArn: out.clusterArn ?? cluster,
        taskArn: out.taskArn ?? task,
        containerName: out.containerName ?? container,
        session: { sessionId: out.session?.sessionId, streamUrl: out.session?.streamUrl, tokenValue: out.session?.tokenValue },
      };
    },
  };
}

function onPath(command: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, command);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      /* next */
    }
  }
  return undefined;
}

/** a > b for dotted versions ("1.2.650.0" > "1.2.497.0"). */
export function versionAfter(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x !== y) return x > y;
  }
  return false;
}

// As awscli/customizations/ecs/executecommand.py: after this version the plugin reads the
// session from an environment variable instead of argv (tokens stay out of `ps`).
const LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR = '1.2.497.0';
const SSM_ENV_NAME = 'AWS_SSM_START_SESSION_RESPONSE';
const OUTPUT_KEEP = 4000;
const VERSION_TIMEOUT_MS = 5000;
const KILL_GRACE_MS = 3000;

export function livePlugin(o: { env: NodeJS.ProcessEnv; profile?: string; region: string; endpoint: string }): SessionPlugin {
  let version: string | undefined;
  let file: string | undefined;
  const check: SessionPlugin['check'] = async () => {
    file = onPath('session-manager-plugin', o.env);
    if (!file) return { ok: false, reason: 'session-manager-plugin is not on PATH' };
    const out = await new Promise<string>((resolve) => {
      // A plugin that hangs on --version is no plugin: killed after 5 s, as one that did not answer.
      const child = spawn(file!, ['--version'], { env: o.env, stdio: ['ignore', 'pipe', 'ignore'], timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL' });
      let text = '';
      child.stdout.on('data', (b: Buffer) => (text += b.toString()));
      child.on('error', () => resolve(''));
      child.on('close', () => resolve(text.trim()));
    });
    if (!out) return { ok: false, reason: `${file} did not answer --version` };
    version = out;
    return { ok: true, version: out };
  };
  return {
    check,
    async run({ session, target, timeoutMs }) {
      if (version === undefined) {
        const c = await check();
        if (!c.ok) throw new Error(c.reason);
      }
      const env = { ...o.env };
      let response = JSON.stringify(session.session);
      if (versionAfter(version!, LAST_PLUGIN_VERSION_WITHOUT_ENV_VAR)) {
        env[SSM_ENV_NAME] = response;
        response = SSM_ENV_NAME;
      }
      const args = [response, o.region, 'StartSession', o.profile ?? '', JSON.stringify({ Target: target }), o.endpoint];
      return new Promise((resolve, reject) => {
        // stdin stays open: the session ends when the command does, not on an EOF.
        const child = spawn(file!, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
        let output = '';
        const keep = (b: Buffer) => (output = (output + b.toString()).slice(-OUTPUT_KEEP));
        child.stdout.on('data', keep);
        child.stderr.on('data', keep);
        // SIGTERM at the session's limit; SIGKILL if it is still there a few seconds later.
        let killer: NodeJS.Timeout | undefined;
        const timer = setTimeout(() => {
          child.kill('SIGTERM');
          killer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
        }, timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          clearTimeout(killer);
          child.stdin.destroy();
          resolve({ exitCode: code ?? (signal ? 124 : 1), output: signal ? `${output}\n(stopped after ${Math.round(timeoutMs / 1000)} s)` : output });
        });
      });
    },
  };
}

/** The ECS endpoint the plugin is told about: AWS_ENDPOINT_URL_ECS / AWS_ENDPOINT_URL, else the regional one. */
export function ecsEndpoint(env: NodeJS.ProcessEnv, region: string): string {
  const custom = env.AWS_ENDPOINT_URL_ECS || env.AWS_ENDPOINT_URL;
  if (custom) return custom;
  return `https://ecs.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** The ECS client of capabilities/aws.ts (shared credentials, region policy) behind the port. */
export async function createLiveEcs(aws: Aws, env: NodeJS.ProcessEnv): Promise<EcsPort> {
  const { client } = await aws.ecs();
  return liveEcs(client, livePlugin({ env, profile: aws.profile, region: aws.region, endpoint: ecsEndpoint(env, aws.region) }));
}
