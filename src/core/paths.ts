// Where the shipped data lives, found from this file so it works from src/ (tests), dist/
// (the built CLI) and a global install alike.
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { dirname, join, relative, isAbsolute } from 'node:path';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const runbooksDir = join(packageRoot, 'runbooks');
export const defaultConfigFile = join(runbooksDir, 'config.yaml');

/** A path as the user should read it in a message: relative to the cwd when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** The per-user config `mangaops config init` writes: read after the shipped defaults, before --config. */
export function userConfigFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'mangaops', 'config.yaml');
}
