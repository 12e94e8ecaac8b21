// Where the shipped data lives, found from this file so it works from src/ (tests), dist/
// (the built CLI, whatever chunk of the bundle this code ends up in) and a global install
// alike: the nearest folder above that holds runbooks/ beside a package.json.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { homedir } from 'node:os';
import { dirname, join, relative, isAbsolute } from 'node:path';

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'runbooks')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`mangaops: no runbooks/ folder above ${from}; reinstall mangaops`);
  }
}

const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const runbooksDir = join(packageRoot, 'runbooks');
export const defaultConfigFile = join(runbooksDir, 'config.yaml');

/** The installed package's version, from the package.json beside runbooks/. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

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
