// The remediation catalogue by name: every action the runner can run. An action module
// imports only types from the SDKs, so loading the catalogue loads no client; the ports do
// that, on first use.
import type { z } from 'zod';
import { UsageError } from '../../errors.js';
import { didYouMean } from '../../util/suggest.js';
import { actionNames, type ActionName, type actionParams } from '../params.js';
import type { Action } from '../types.js';
import { aossCapacity } from './aoss-capacity.js';
import { aossPrewarm } from './aoss-prewarm.js';
import { dynamodbFlipVersion } from './dynamodb-flip-version.js';
import { dynamodbSetConfig } from './dynamodb-set-config.js';
import { ecsExec } from './ecs-exec.js';
import { ecsRestart } from './ecs-restart.js';
import { ecsScale } from './ecs-scale.js';
import { ecsSetEnv } from './ecs-set-env.js';
import { ecsSetTaskDefinition } from './ecs-set-task-definition.js';
import { quotaRequest } from './quota-request.js';
import { redisInvalidateStale } from './redis-invalidate-stale.js';
import { redisPurge } from './redis-purge.js';

export type ActionFor<N extends ActionName> = Action<z.infer<(typeof actionParams)[N]>>;

// Every action of params.ts, so a name added there without its action fails to compile.
export const catalogue: { [N in ActionName]: ActionFor<N> } = {
  'ecs.scale': ecsScale,
  'ecs.set-env': ecsSetEnv,
  'ecs.set-task-definition': ecsSetTaskDefinition,
  'ecs.restart': ecsRestart,
  'ecs.exec': ecsExec,
  'aoss.capacity': aossCapacity,
  'aoss.prewarm': aossPrewarm,
  'quota.request': quotaRequest,
  'redis.purge': redisPurge,
  'redis.invalidate-stale': redisInvalidateStale,
  'dynamodb.flip-version': dynamodbFlipVersion,
  'dynamodb.set-config': dynamodbSetConfig,
};

/** The action by name: unknown → a usage error with the closest name; known but not built yet → a clear error. */
export function getAction(name: string): Action {
  if (!(actionNames as string[]).includes(name)) {
    throw new UsageError(`unknown action '${name}'${didYouMean(name, actionNames)}`, 'mangaops act --list shows the catalogue');
  }
  const action = catalogue[name as ActionName];
  if (!action) throw new UsageError(`action '${name}' is not available yet in this build`, 'mangaops act --list shows what is');
  return action as unknown as Action;
}
