// What most commands start with: the config and a runbook by id — both from the cache
// (core/cache.ts) when their sources have not changed, so the schema's zod loads only on a miss.
import { resolve } from 'node:path';
import { openCache, sha256, type Cache } from '../core/cache.js';
import { readConfigSources } from '../core/config-files.js';
import type { Config } from '../core/config.js';
import type { Io } from '../core/io.js';
import { findRunbook } from '../runbook/catalog.js';
import type { LoadedRunbook } from '../runbook/load.js';

/** The options every command understands (commander puts them on the root program). */
export interface CommonOptions {
  json?: boolean;
  debug?: boolean;
  /** False with --no-color. */
  color?: boolean;
  config?: string;
  region?: string;
  profile?: string;
  /** --cases-dir, on the commands that load incident cases (validate, drill, journal to-case). */
  casesDir?: string;
}

/** The user's cache for this build (none when run from src/, or without HOME). */
export function cacheFor(io: Pick<Io, 'env'>): Cache | undefined {
  return openCache(io.env);
}

export async function configFor(options: CommonOptions, io: Pick<Io, 'env'>, cache = cacheFor(io)): Promise<Config> {
  const sources = await readConfigSources({ file: options.config, env: io.env });
  const name = `config-${sha256(sources.map((s) => resolve(s.file)).join('\0')).slice(0, 16)}`;
  const key = sha256(sources.map((s) => `${s.file}\0${s.text}`).join('\0'));
  const cached = cache?.read(name, key);
  const withCases = (config: Config) => (options.casesDir ? { ...config, casesDir: resolve(options.casesDir) } : config);
  if (cached) return withCases(cached.value as Config);
  const config = await (await import('../core/config.js')).configFrom(sources);
  cache?.write(name, key, config);
  return withCases(config);
}

/** The config (unless the caller has read it already) and the runbook, through the cache. */
export async function runbookFor(scenario: string, options: CommonOptions, io: Pick<Io, 'env'>, read?: Config): Promise<{ config: Config; loaded: LoadedRunbook }> {
  const cache = cacheFor(io);
  const config = read ?? (await configFor(options, io, cache));
  return { config, loaded: await findRunbook(scenario, config, cache) };
}
