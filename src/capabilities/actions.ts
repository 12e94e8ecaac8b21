// The action registry: every remediation the runner can run, by name. The runbook lint, `act`
// (its flags and --list), the IAM write policy and `undo` are all derived from it. An action
// module imports only types from the SDKs, so loading the registry loads no client; the ports
// do that, on first use.
import { UsageError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import type { Action, ParamsSchema } from './action.js';
import { aossCapacity } from './aoss/actions/capacity.js';
import { aossPrewarm } from './aoss/actions/prewarm.js';
import { dynamodbFlipVersion } from './dynamodb/actions/flip-version.js';
import { dynamodbSetConfig } from './dynamodb/actions/set-config.js';
import { ecsExec } from './ecs/actions/exec.js';
import { ecsRestart } from './ecs/actions/restart.js';
import { ecsScale } from './ecs/actions/scale.js';
import { ecsSetEnv } from './ecs/actions/set-env.js';
import { ecsSetTaskDefinition } from './ecs/actions/set-task-definition.js';
import { quotaRequest } from './quotas/actions/request.js';
import { redisInvalidateStale } from './redis/actions/invalidate-stale.js';
import { redisPurge } from './redis/actions/purge.js';

/** An action with its own types erased: what the runner and the registry hold. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action's plan and apply agree on B and D; erased only here
export type AnyAction = Action<ParamsSchema, any, any>;

// In the order `act --list` shows them.
export const actions: readonly AnyAction[] = [
  ecsScale,
  ecsSetEnv,
  ecsSetTaskDefinition,
  ecsRestart,
  ecsExec,
  aossCapacity,
  aossPrewarm,
  quotaRequest,
  redisPurge,
  redisInvalidateStale,
  dynamodbFlipVersion,
  dynamodbSetConfig,
];

export const actionNames: readonly string[] = actions.map((a) => a.name);

const byName = new Map(actions.map((a) => [a.name, a]));

export function isActionName(name: string): boolean {
  return byName.has(name);
}

/** The action by name; unknown → a usage error with the closest name. */
export function getAction(name: string): AnyAction {
  const action = byName.get(name);
  if (!action) throw new UsageError(`unknown action '${name}'${didYouMean(name, actionNames)}`, 'mangaops act --list shows the catalogue');
  return action;
}
