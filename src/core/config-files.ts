// The config's sources as text: the shipped runbooks/config.yaml, the user's own, then
// --config FILE or MANGAOPS_CONFIG. Read once, so that what is parsed (core/config.ts) and what keys the cache
// (commands/context.ts) are the same bytes. No schema here: a cached config loads no zod.
import { existsSync } from 'node:fs';
import { UsageError } from './errors.js';
import { formatFinding } from './findings.js';
import { defaultConfigFile, displayPath, userConfigFile } from './paths.js';
import { readSourceFile } from './source-file.js';

export interface ConfigSource {
  /** As given (the path the user typed, or the shipped file). */
  file: string;
  text: string;
}

export interface ConfigOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
}

export async function readConfigSource(file: string): Promise<ConfigSource> {
  const read = await readSourceFile(file, displayPath(file));
  if ('error' in read) {
    if (read.code) throw new UsageError(`cannot read config ${displayPath(file)}: ${read.code}`, 'pass an existing file to --config or MANGAOPS_CONFIG');
    throw new UsageError(formatFinding(read.error), 'pass a smaller config file');
  }
  return { file, text: read.text };
}

/**
 * The shipped config, then the per-user config (`mangaops config init`) when there is one,
 * then --config or MANGAOPS_CONFIG: in the order they merge, key by key.
 */
export async function readConfigSources(options: ConfigOptions = {}): Promise<ConfigSource[]> {
  const user = options.env ? userConfigFile(options.env) : undefined;
  const override = options.file ?? options.env?.MANGAOPS_CONFIG;
  const files = [defaultConfigFile, ...(user && existsSync(user) ? [user] : []), ...(override ? [override] : [])];
  return Promise.all(files.map(readConfigSource));
}
