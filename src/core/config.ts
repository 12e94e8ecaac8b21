// The environment config: the shipped defaults (the seed's names, runbooks/config.yaml) merged
// key by key with --config FILE or MANGAOPS_CONFIG, then checked against one schema so every
// reader gets typed values (`config.ecs?.scaleCapFactor`) instead of string paths. Unknown keys
// are kept: runbooks may name their own placeholders (`${apigw.stage}`).
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { defaultConfigFile, displayPath, userConfigFile } from './paths.js';
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
  /**
   * The fixes `on-alarm` may apply without a human, by outcome id (or runbook/outcome):
   * `{ cold-connections: [ecs.scale] }`. Empty by default: nothing is applied. A fix allowed
   * here whose recovery watch finds the symptom worse is undone without asking.
   */
  autoApply: z.record(z.string(), z.array(z.string().min(1))).optional(),
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

async function readConfigFile(file: string): Promise<Plain> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config ${displayPath(file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'pass an existing file to --config or MANGAOPS_CONFIG');
  }
  const src = parseYaml(displayPath(file), text);
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
  return parseConfig(await readConfigFile(defaultConfigFile), displayPath(defaultConfigFile));
}

/**
 * The shipped defaults, then the per-user config (`mangaops config init`), then --config or
 * MANGAOPS_CONFIG: each merged key by key over the one before.
 */
export async function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Config> {
  let merged = await readConfigFile(defaultConfigFile);
  const files = [defaultConfigFile];
  const user = options.env ? userConfigFile(options.env) : undefined;
  if (user && existsSync(user)) {
    merged = merge(merged, await readConfigFile(user));
    files.push(user);
  }
  const override = options.file ?? options.env?.MANGAOPS_CONFIG;
  if (override) {
    merged = merge(merged, await readConfigFile(override));
    files.push(override);
  }
  return parseConfig(merged, files.slice(1).map(displayPath).join(' + ') || displayPath(defaultConfigFile));
}
