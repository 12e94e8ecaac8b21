// The environment config: the shipped defaults (the seed's names, runbooks/config.yaml) merged
// key by key with --config FILE or MANGAOPS_CONFIG, then checked against one schema so every
// reader gets typed values (`config.ecs?.scaleCapFactor`) instead of string paths. Unknown keys
// are kept: runbooks may name their own placeholders (`${apigw.stage}`).
import { z } from 'zod';
import './zod-jitless.js';
import { UsageError } from './errors.js';
import { readConfigSource, readConfigSources, type ConfigOptions, type ConfigSource } from './config-files.js';
import { defaultConfigFile, displayPath } from './paths.js';
import { formatFinding } from './findings.js';
import { durationMs } from './time.js';
import { parseYaml } from './yaml.js';

const name = z.string().min(1);

/** A deadline: milliseconds, or a duration as the runbooks write them (15s, 2m, 1h30m). */
const deadline = z.union([z.number().int().positive().max(86_400_000), z.string().regex(/^(\d+[smh])+$/, 'a duration such as 15s, 2m or 1h').transform(durationMs)]);

/** One intent's budget, as under `budgets:`. */
export const IntentBudget = z.object({
  p95Ms: z.number().positive().optional(),
  inputTokens: z.number().positive().optional(),
  outputTokens: z.number().positive().optional(),
});
export type IntentBudget = z.infer<typeof IntentBudget>;

export const Config = z.looseObject({
  region: name.optional(),
  aws: z.looseObject({ accountId: z.union([z.string(), z.number()]).transform(String).optional() }).optional(),
  ecs: z
    .looseObject({
      cluster: name.optional(),
      service: name.optional(),
      container: name.optional(),
      /** ecs.scale refuses more than this many times the current count unless --force. */
      scaleCapFactor: z.number().positive().optional(),
      taskRoleArn: name.optional(),
      executionRoleArn: name.optional(),
      /** ecs.set-env masks the values of these names (globs, `*` any run): *PASSWORD*, *SECRET*, *TOKEN*, *KEY* by default. */
      secretEnvNames: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  dynamodb: z.looseObject({ promptTable: name.optional(), classifierTable: name.optional(), inventoryTable: name.optional(), configTable: name.optional() }).optional(),
  aoss: z
    .looseObject({
      collection: name.optional(),
      index: name.optional(),
      collectionId: name.optional(),
      prewarmQueries: z.array(z.string()).optional(),
    })
    .optional(),
  redis: z
    .looseObject({
      url: name.optional(),
      /** true, false, or auto: ask the server (INFO cluster). */
      cluster: z.union([z.boolean(), z.enum(['auto', 'true', 'false'])], { error: 'true, false or auto' }).optional(),
      prefix: z.string().optional(),
      /** redis.purge refuses more matching keys than this (the plan's estimate) unless --force. */
      maxPurgeKeys: z.number().int().positive().optional(),
    })
    .optional(),
  bedrock: z.looseObject({ sonnetQuotaCode: name.optional() }).optional(),
  budgets: z.record(z.string(), IntentBudget).optional(),
  /** How long each stage of a fix may take (runner/deadlines.ts has the defaults). */
  deadlines: z.looseObject({ plan: deadline.optional(), apply: deadline.optional(), verify: deadline.optional() }).optional(),
  /** Where `on-alarm` posts its pre-diagnosis (MANGAOPS_WEBHOOK_URL wins): a Slack incoming webhook. */
  notify: z.looseObject({ webhook: z.url({ protocol: /^https?$/, error: 'an http(s) URL' }).optional() }).optional(),
  /**
   * The fixes `on-alarm` may apply without a human, by outcome id (or runbook/outcome):
   * `{ cold-connections: [ecs.scale] }`. Empty by default: nothing is applied. A fix allowed
   * here whose recovery watch finds the symptom worse is undone without asking.
   */
  autoApply: z.record(z.string(), z.array(z.string().min(1))).optional(),
  /** Where a runbook's incident cases live (`journal to-case`): default runbooks/cases/ beside the runbook. */
  casesDir: name.optional(),
  /** The team table (src/team/): shared journal, leases, approvals. Also MANGAOPS_TEAM_TABLE. */
  team: z
    .looseObject({
      table: name.optional(),
      /** How long a lease (on a resource, or the driver role) lasts without a heartbeat. */
      leaseSeconds: z.number().positive().max(3600).optional(),
    })
    .optional(),
  /** Actions that need another engineer's approval first: `redis.purge: 1`. */
  approvals: z.record(z.string(), z.number().int().min(0)).optional(),
});
export type Config = z.infer<typeof Config>;

type Plain = Record<string, unknown>;

function merge(base: Plain, over: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b as Plain, v as Plain)
        : v;
  }
  return out;
}

async function parseConfigSource({ file, text }: ConfigSource): Promise<Plain> {
  const src = await parseYaml(displayPath(file), text);
  if (src.errors.length) {
    throw new UsageError(formatFinding(src.errors[0]!), 'fix the YAML of the config file');
  }
  if (src.data == null) return {};
  if (typeof src.data !== 'object' || Array.isArray(src.data)) {
    throw new UsageError(`${displayPath(file)}: a config file is a mapping of keys, e.g. "ecs: {cluster: mangaassist-prod}"`);
  }
  return src.data as Plain;
}

/** A config object checked against the schema; `where` names its files in the message. */
function parseConfig(data: unknown, where = 'the config'): Config {
  const parsed = Config.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new UsageError(`${where}: ${issue.path.map(String).join('.') || '(top)'}: ${issue.message.replace(/^Invalid input: /, '')}`, 'fix that key in your config file');
}

/** The shipped defaults alone (runbooks/config.yaml): to tell an example value from a chosen one. */
export async function shippedConfig(): Promise<Config> {
  return configFrom([await readConfigSource(defaultConfigFile)]);
}

/** The config from its sources as read (shipped first, then the override), merged key by key. */
export async function configFrom(sources: ConfigSource[]): Promise<Config> {
  let merged: Plain = {};
  for (const source of sources) merged = merge(merged, await parseConfigSource(source));
  return parseConfig(merged, displayPath(sources[sources.length - 1]!.file));
}

export async function loadConfig(options: ConfigOptions = {}): Promise<Config> {
  return configFrom(await readConfigSources(options));
}
