// A new task-definition revision from an old one: DescribeTaskDefinition returns fields that
// RegisterTaskDefinition rejects or sets itself. Strip exactly those, keep the tags (which
// DescribeTaskDefinition returns beside the definition, with include: ['TAGS']).
import type { ContainerDefinition, KeyValuePair, RegisterTaskDefinitionCommandInput, Tag, TaskDefinition } from '@aws-sdk/client-ecs';

export type { RegisterTaskDefinitionCommandInput, TaskDefinition };
export type ContainerDefinitionLike = ContainerDefinition;

export const READ_ONLY_FIELDS = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
] as const;

/** The environment with `env` applied: existing names keep their place, new ones go last. */
function withEnvironment(environment: KeyValuePair[] | undefined, env: Record<string, string>): KeyValuePair[] {
  const out = (environment ?? []).map((e) => (e.name !== undefined && Object.hasOwn(env, e.name) ? { name: e.name, value: env[e.name] } : { ...e }));
  for (const [name, value] of Object.entries(env)) if (!out.some((e) => e.name === name)) out.push({ name, value });
  return out;
}

export function registrationInput(td: TaskDefinition, tags: Tag[], container: string, env: Record<string, string>): RegisterTaskDefinitionCommandInput {
  const copy = structuredClone(td) as Record<string, unknown>;
  for (const field of READ_ONLY_FIELDS) delete copy[field];
  const input = copy as unknown as RegisterTaskDefinitionCommandInput;
  input.containerDefinitions = (td.containerDefinitions ?? []).map((c) =>
    c.name === container ? { ...structuredClone(c), environment: withEnvironment(c.environment, env) } : structuredClone(c),
  );
  if (tags.length) input.tags = structuredClone(tags);
  return input;
}
