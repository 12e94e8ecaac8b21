// The simulated ECS port: the in-memory platform behind the same EcsPort the live one has.
import { newDeployment, tdArn, tick, type SimPlatform, type SimService } from '../platform.js';
import type { EcsPort, EcsService, SessionPlugin } from './port.js';

const copy = <T>(v: T): T => structuredClone(v);

function view(s: SimService): EcsService {
  const { cluster: _cluster, ...rest } = copy(s);
  return rest;
}

function findService(p: SimPlatform, cluster: string, service: string): SimService | undefined {
  const name = (x: string) => x.split('/').pop();
  return p.services.find((s) => name(s.cluster) === name(cluster) && s.serviceName === name(service));
}

function notFound(what: string): Error {
  const e = new Error(what);
  e.name = 'ServiceNotFoundException';
  return e;
}

const simulatedPlugin: SessionPlugin = {
  async check() {
    return { ok: true, version: 'simulated' };
  },
  async run({ target }) {
    return { exitCode: 0, output: `warmed 5 connections (${target})\n` };
  },
};

export function simulatedEcs(p: SimPlatform, plugin: SessionPlugin = simulatedPlugin): EcsPort {
  return {
    sessionPlugin: plugin,
    async describeServices(cluster, services) {
      const found = new Map<string, EcsService>();
      const missing = new Map<string, string>();
      for (const name of services) {
        const s = findService(p, cluster, name);
        if (!s) {
          missing.set(name, 'MISSING');
          continue;
        }
        tick(s);
        found.set(name, view(s));
      }
      return { found, missing };
    },
    async updateService(input) {
      const s = findService(p, input.cluster, input.service);
      if (!s) throw notFound(`service ${input.service} not found in ${input.cluster}`);
      const parts = [`desiredCount=${input.desiredCount ?? ''}`, `taskDefinition=${input.taskDefinition ?? ''}`, `forceNewDeployment=${input.forceNewDeployment ?? ''}`];
      p.mutations.push(`ECS UpdateService ${input.cluster}/${input.service} ${parts.filter((x) => !x.endsWith('=')).join(' ')}`);
      if (input.desiredCount !== undefined) s.desiredCount = input.desiredCount;
      if (input.taskDefinition !== undefined) {
        const arn = [...p.taskDefinitions.keys()].find((a) => a === input.taskDefinition || a.endsWith(`/${input.taskDefinition}`));
        if (!arn) throw new Error(`task definition ${input.taskDefinition} not found`);
        if (arn !== s.taskDefinition) newDeployment(p, s, arn);
      }
      if (input.forceNewDeployment) newDeployment(p, s, s.taskDefinition);
      return view(s);
    },
    async describeTaskDefinition(taskDefinition) {
      const hit = [...p.taskDefinitions.entries()].find(([arn]) => arn === taskDefinition || arn.endsWith(`/${taskDefinition}`));
      if (!hit) throw new Error(`task definition ${taskDefinition} not found`);
      return copy(hit[1]);
    },
    async registerTaskDefinition(input) {
      const family = input.family ?? 'unknown';
      const revision = Math.max(0, ...[...p.taskDefinitions.values()].filter((t) => t.taskDefinition.family === family).map((t) => t.taskDefinition.revision ?? 0)) + 1;
      const arn = tdArn(p.region, family, revision);
      const { tags, ...rest } = copy(input);
      p.taskDefinitions.set(arn, { taskDefinition: { ...rest, taskDefinitionArn: arn, revision, status: 'ACTIVE', registeredAt: new Date() }, tags: tags ?? [] });
      p.mutations.push(`ECS RegisterTaskDefinition ${family}:${revision}`);
      return { taskDefinitionArn: arn, revision };
    },
    async listTasks(cluster, service, status) {
      return findService(p, cluster, service) ? p.tasks.filter((t) => (status === 'RUNNING' ? t.lastStatus === 'RUNNING' : t.lastStatus === 'STOPPED')).map((t) => t.taskArn) : [];
    },
    async describeTasks(_cluster, taskArns) {
      return copy(p.tasks.filter((t) => taskArns.includes(t.taskArn)));
    },
    async executeCommand({ cluster, task, container, command }) {
      p.mutations.push(`ECS ExecuteCommand ${task.split('/').pop()} ${command}`);
      return { clusterArn: cluster, taskArn: task, containerName: container, session: { sessionId: `sim-${++p.seq}`, streamUrl: 'wss://simulated', tokenValue: 'simulated' } };
    },
  };
}
