// What most commands start with: the config and a runbook by id.
import { findRunbook } from '../runbook/catalog.js';
import { loadConfig } from '../runbook/config.js';
import type { Config } from '../runbook/placeholders.js';
import type { LoadedRunbook } from '../runbook/load.js';
import type { Io } from '../cli/io.js';

export interface CommonOptions {
  json?: boolean;
  debug?: boolean;
  config?: string;
  region?: string;
  profile?: string;
}

export async function configFor(options: CommonOptions, io: Io): Promise<Config> {
  return loadConfig({ file: options.config, env: io.env });
}

export async function runbookFor(scenario: string, options: CommonOptions, io: Io): Promise<{ config: Config; loaded: LoadedRunbook }> {
  const config = await configFor(options, io);
  return { config, loaded: await findRunbook(scenario, config) };
}
