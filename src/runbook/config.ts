// The environment config: the shipped defaults (the seed's names) merged with --config FILE
// or MANGAOPS_CONFIG, key by key.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { formatFinding } from './findings.js';
import { defaultConfigFile, displayPath } from './paths.js';
import type { Config } from './placeholders.js';
import { parseYaml } from './yaml-source.js';

function merge(base: Config, over: Config): Config {
  const out: Config = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? merge(b as Config, v as Config)
        : v;
  }
  return out;
}

async function readConfigFile(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read config ${displayPath(file)}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'pass an existing file to --config or MANGAOPS_CONFIG');
  }
  const src = parseYaml(displayPath(file), text);
  if (src.errors.length) throw new UsageError(formatFinding(src.errors[0]!), 'fix the YAML of the config file');
  if (src.data == null) return {};
  if (typeof src.data !== 'object' || Array.isArray(src.data)) {
    throw new UsageError(`${displayPath(file)}: a config file is a mapping of keys, e.g. "ecs: {cluster: mangaassist-prod}"`);
  }
  return src.data as Config;
}

export async function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Config> {
  const base = await readConfigFile(defaultConfigFile);
  const override = options.file ?? options.env?.MANGAOPS_CONFIG;
  return override ? merge(base, await readConfigFile(override)) : base;
}
