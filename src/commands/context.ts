// What most commands start with: the config and a runbook by id.
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../core/config.js';
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

export async function configFor(options: CommonOptions, io: Pick<Io, 'env'>): Promise<Config> {
  const config = await loadConfig({ file: options.config, env: io.env });
  return options.casesDir ? { ...config, casesDir: resolve(options.casesDir) } : config;
}

export async function runbookFor(scenario: string, options: CommonOptions, io: Pick<Io, 'env'>): Promise<{ config: Config; loaded: LoadedRunbook }> {
  const config = await configFor(options, io);
  return { config, loaded: await findRunbook(scenario, config) };
}
