// The probe-kind registry: the one list of what a runbook may read. The runbook schema's probe
// union, the IAM read policy, preflight and the live gather are all derived from it, so a kind
// registered here is everywhere at once, and one missing a member does not compile.
import { z } from 'zod';
import { deferred } from '../core/deferred.js';
import { lastSeenKind, metricKind, regressKind } from './cloudwatch/probes.js';
import { dynamoActivationsKind, dynamoStockKind, dynamoStreamKind } from './dynamodb/probes.js';
import { dynamoUpdatedKind } from './dynamodb/updated.js';
import { ecsEventsKind } from './ecs/events.js';
import { ecsServiceKind } from './ecs/service.js';
import { logsCountKind } from './logs/count.js';
import { redisCacheAgeKind } from './redis/cache-age.js';
import type { EvidenceMap } from '../core/evidence.js';
import type { ProbeKind, SimulatedEvidence } from './probe-kind.js';

const kinds = [metricKind, lastSeenKind, regressKind, ecsServiceKind, ecsEventsKind, dynamoStreamKind, dynamoStockKind, dynamoUpdatedKind, dynamoActivationsKind, logsCountKind, redisCacheAgeKind] as const;

type SchemaOf<K> = K extends { readonly schema: infer S } ? S : never;
// A mapped type over a type parameter keeps the tuple: the union sees every kind's own schema.
type SchemasOf<T extends readonly unknown[]> = { -readonly [I in keyof T]: SchemaOf<T[I]> };
type Schemas = SchemasOf<typeof kinds>;

/** A probe as a runbook writes it: one of the registered kinds. */
export const Probe = deferred(() => z.discriminatedUnion('kind', kinds.map((k) => k.schema) as unknown as Schemas));
export type Probe = z.infer<typeof Probe>;

/** Every registered kind, erased to the common shape (the gather groups by reader). */
const probeKinds: readonly ProbeKind[] = kinds as unknown as readonly ProbeKind[];

const byKind = new Map(probeKinds.map((k) => [k.kind, k]));

/** The registered kind of a probe: its schema has already admitted only registered kinds. */
export function kindOf(probe: Probe): ProbeKind {
  return byKind.get(probe.kind)!;
}

/** A drill case's values as evidence, probe by probe, through each kind's `simulate`. */
export function simulateAll(probes: Record<string, Probe>, values: Record<string, SimulatedEvidence>): EvidenceMap {
  return Object.fromEntries(Object.entries(probes).map(([id, probe]) => [id, kindOf(probe).simulate(probe, values[id])]));
}
