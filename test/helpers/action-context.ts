// An ActionContext for calling an action's plan/apply/verify directly in tests: the ports
// given, every other port refusing (so a test notices a call it did not expect), progress
// lines collected, real clock, no waiting on sleeps unless asked.
import type { Ports } from '../../src/capabilities/ports.js';
import type { DynamoPort } from '../../src/capabilities/dynamodb/port.js';
import type { RedisPort } from '../../src/capabilities/redis/port.js';
import type { ActionContext } from '../../src/capabilities/action.js';
import type { Config } from '../../src/core/config.js';

export interface TestContext extends ActionContext {
  lines: string[];
  sleeps: number[];
}

export function actionContext(ports: { redis?: RedisPort; dynamo?: DynamoPort }, options: { force?: boolean; deadlineMs?: number; config?: Config } = {}): TestContext {
  const none = (what: string) => async (): Promise<never> => {
    throw new Error(`unexpected use of the ${what} port`);
  };
  const all: Ports = {
    cloudwatch: none('CloudWatch'),
    logs: none('CloudWatch Logs'),
    ecs: none('ECS'),
    aoss: none('OpenSearch Serverless'),
    quotas: none('Service Quotas'),
    redis: ports.redis ? async () => ports.redis! : none('Redis'),
    dynamo: ports.dynamo ? async () => ports.dynamo! : none('DynamoDB'),
    async close() {},
  };
  const lines: string[] = [];
  const sleeps: number[] = [];
  return {
    ports: all,
    force: options.force ?? false,
    config: options.config ?? {},
    progress: (m) => lines.push(m),
    now: () => Date.now(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    deadlineMs: options.deadlineMs ?? 60_000,
    lines,
    sleeps,
  };
}
