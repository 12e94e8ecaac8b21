// `mangaops config init`: the account's names, asked for (or taken from flags) once, written
// to the per-user config ($XDG_CONFIG_HOME/mangaops/config.yaml), which every command reads
// after the shipped defaults and before --config. Each question defaults to what the
// configuration says now, so Enter keeps it.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { loadConfig } from '../core/config.js';
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { displayPath, userConfigFile } from '../core/paths.js';
import { maskPasswords } from '../core/secrets.js';
import { lookup } from '../runbook/placeholders.js';
import { screenOf } from '../ui/screen.js';
import type { CommonOptions } from './context.js';
import { makeDirs } from '../core/dirs.js';

export interface ConfigInitOptions extends CommonOptions {
  accountId?: string;
  cluster?: string;
  service?: string;
  container?: string;
  promptTable?: string;
  classifierTable?: string;
  inventoryTable?: string;
  configTable?: string;
  collection?: string;
  redisUrl?: string;
  /** Take the current values for what no flag gives, without asking. */
  yes?: boolean;
  /** Replace an existing per-user config. */
  force?: boolean;
}

/** The questions, in order: the config key, its flag, what it is. */
const FIELDS: { key: string; option: keyof ConfigInitOptions; flag: string; what: string }[] = [
  { key: 'region', option: 'region', flag: '--region', what: 'AWS region of MangaAssist' },
  { key: 'aws.accountId', option: 'accountId', flag: '--account-id', what: 'AWS account id' },
  { key: 'ecs.cluster', option: 'cluster', flag: '--cluster', what: 'ECS cluster' },
  { key: 'ecs.service', option: 'service', flag: '--service', what: 'ECS service of the orchestrator' },
  { key: 'ecs.container', option: 'container', flag: '--container', what: 'its container' },
  { key: 'dynamodb.promptTable', option: 'promptTable', flag: '--prompt-table', what: 'DynamoDB table of prompt templates' },
  { key: 'dynamodb.classifierTable', option: 'classifierTable', flag: '--classifier-table', what: 'DynamoDB table of classifier versions' },
  { key: 'dynamodb.inventoryTable', option: 'inventoryTable', flag: '--inventory-table', what: 'DynamoDB inventory table' },
  { key: 'dynamodb.configTable', option: 'configTable', flag: '--config-table', what: 'DynamoDB router config table' },
  { key: 'aoss.collection', option: 'collection', flag: '--collection', what: 'OpenSearch Serverless collection' },
  { key: 'redis.url', option: 'redisUrl', flag: '--redis-url', what: 'Redis URL (rediss:// for TLS)' },
];

function set(target: Record<string, unknown>, key: string, value: string) {
  const parts = key.split('.');
  let at = target;
  for (const p of parts.slice(0, -1)) at = (at[p] ??= {}) as Record<string, unknown>;
  at[parts.at(-1)!] = value;
}

export async function configInit(options: ConfigInitOptions, io: Io): Promise<number> {
  const file = userConfigFile(io.env);
  if (existsSync(file) && !options.force) {
    throw new UsageError(`${displayPath(file)} exists already`, 'pass --force to replace it, or edit it by hand');
  }
  const current = await loadConfig({ env: io.env });
  const ask = io.interactive && !options.yes && !options.json;
  const written: Record<string, unknown> = {};
  const report = screenOf(io, options.json).report;
  const fromDefaults: string[] = [];
  for (const f of FIELDS) {
    const given = options[f.option];
    const now = lookup(current, f.key);
    let value = typeof given === 'string' ? given : undefined;
    if (value === undefined && ask) {
      // Offered with its password masked (the prompt shows its default): accepted as shown, the value stands.
      const shown = now === undefined ? undefined : maskPasswords(String(now));
      value = await io.prompter.input({ id: `config:${f.key}`, message: `${f.what} (${f.key})`, defaultValue: shown });
      if (shown !== undefined && value === shown) value = String(now);
    }
    if (value === undefined && now !== undefined) {
      value = String(now);
      fromDefaults.push(f.flag);
    }
    if (value) set(written, f.key, value);
  }
  makeDirs(dirname(file), 0o700);
  const header = '# Written by `mangaops config init`. Read after the shipped defaults (runbooks/config.yaml),\n# before --config / MANGAOPS_CONFIG. Edit freely.\n';
  // It may hold a Redis password: readable by its owner only.
  writeFileSync(file, header + stringify(written), { mode: 0o600 });
  chmodSync(file, 0o600);
  const redis = written.redis as { url?: string } | undefined;
  const shown = redis?.url ? { ...written, redis: { ...redis, url: maskPasswords(redis.url) } } : written;
  if (options.json) {
    io.stdout.write(JSON.stringify({ file, config: shown }, null, 2) + '\n');
    return 0;
  }
  report.write(`wrote ${displayPath(file)}\n`);
  for (const f of FIELDS) {
    const v = lookup(shown, f.key);
    if (v !== undefined) report.write(`  ${f.key.padEnd(26)} ${String(v)}\n`);
  }
  if (!ask && fromDefaults.length) io.stderr.write(`kept the current values for what no flag gave (${fromDefaults.join(', ')}); run in a terminal to be asked\n`);
  return 0;
}
