// Parameters `mangaops act` fills from the config when they are not given, written as the
// runbooks write them (`${ecs.cluster}`), so `mangaops act ecs.scale --desired-count 8` acts
// on the MangaAssist service. Never a default for what decides the blast radius: a count, a
// pattern, a version, a value.
import { substitute, type Config } from '../runbook/placeholders.js';
import type { ActionName } from './params.js';

const ecs = { cluster: '${ecs.cluster}', service: '${ecs.service}' };

export const paramDefaults: Partial<Record<ActionName, Record<string, unknown>>> = {
  'ecs.scale': ecs,
  'ecs.set-env': { ...ecs, container: '${ecs.container}' },
  'ecs.set-task-definition': ecs,
  'ecs.restart': ecs,
  // The seed's warm-up script (scenario 1, Root Cause A).
  'ecs.exec': { ...ecs, container: '${ecs.container}', command: '/app/scripts/warm_connections.sh' },
  'aoss.capacity': { collection: '${aoss.collection}' },
  'aoss.prewarm': { collection: '${aoss.collection}', index: '${aoss.index}' },
  'redis.invalidate-stale': { table: '${dynamodb.inventoryTable}' },
  'dynamodb.flip-version': { table: '${dynamodb.promptTable}' },
  'dynamodb.set-config': { table: '${dynamodb.configTable}' },
  'quota.request': { serviceCode: 'bedrock', quotaCode: '${bedrock.sonnetQuotaCode}' },
};

/** The defaults of one action, resolved against the config; an unresolved placeholder is dropped. */
export function defaultsFor(action: ActionName, config: Config): Record<string, unknown> {
  const raw = paramDefaults[action] ?? {};
  const resolved = substitute(raw, config);
  return Object.fromEntries(Object.entries(resolved).filter(([, v]) => !(typeof v === 'string' && v.includes('${'))));
}
