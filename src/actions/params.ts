// The remediation catalogue's names and parameters. Runbooks name actions from here; lint
// validates a step's params against these schemas (after placeholders are resolved), and
// `mangaops act` parses its flags with the same ones. Kept free of SDK imports so that
// validate/graph/drill stay light.
import { z } from 'zod';

const name = z.string().min(1);
const count = z.coerce.number().int().min(0);
const ocu = z.coerce.number().int().min(1).max(1000);

export const actionParams = {
  'ecs.exec': z.strictObject({
    cluster: name,
    service: name,
    container: name.optional(),
    command: name,
    concurrency: z.coerce.number().int().min(1).max(50).default(5),
  }),
  'ecs.scale': z.strictObject({
    cluster: name,
    service: name,
    desiredCount: count,
  }),
  'ecs.set-env': z.strictObject({
    cluster: name,
    service: name,
    container: name.optional(),
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names are letters, digits and _'), z.coerce.string()),
  }),
  // ecs.set-env's undo (and a rollback on its own): point the service at a given revision.
  'ecs.set-task-definition': z.strictObject({
    cluster: name,
    service: name,
    taskDefinition: name,
  }),
  'ecs.restart': z.strictObject({
    cluster: name,
    service: name,
  }),
  'aoss.capacity': z.strictObject({
    collection: name,
    minSearchOCU: ocu.optional(),
    maxSearchOCU: ocu.optional(),
  }).refine((p) => p.minSearchOCU !== undefined || p.maxSearchOCU !== undefined, 'give minSearchOCU or maxSearchOCU'),
  'aoss.prewarm': z.strictObject({
    collection: name,
    index: name.optional(),
    queries: z.array(z.string()).optional(),
  }),
  'redis.purge': z.strictObject({
    pattern: name,
    /** SCAN COUNT: keys looked at per call on each master. */
    count: z.coerce.number().int().min(10).max(10_000).default(1000),
    /** At most this many keys per UNLINK. */
    batch: z.coerce.number().int().min(1).max(10_000).default(1000),
  }),
  'redis.invalidate-stale': z.strictObject({
    pattern: name,
    table: name,
    /** The inventory table's key (S) and stock (N) attributes, as the dynamodb.stock probe names them. */
    keyAttribute: name.default('product_id'),
    quantityAttribute: name.default('quantity'),
  }),
  'dynamodb.flip-version': z.strictObject({
    table: name,
    intent: name,
    to: name,
  }),
  'dynamodb.set-config': z.strictObject({
    table: name,
    key: z.record(z.string(), z.string()),
    attribute: name,
    value: z.union([z.number(), z.string(), z.boolean()]),
    from: z.union([z.number(), z.string(), z.boolean()]).optional(),
  }),
  'quota.request': z.strictObject({
    serviceCode: name,
    quotaCode: name,
    desiredValue: z.coerce.number().positive(),
  }),
} as const;

export type ActionName = keyof typeof actionParams;
export const actionNames = Object.keys(actionParams) as ActionName[];

export function isActionName(value: string): value is ActionName {
  return Object.hasOwn(actionParams, value);
}
