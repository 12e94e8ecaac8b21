// What bin/mangaops.cjs runs: the bundle in dist/ — CommonJS, one file per lazy boundary
// (scripts/build.mjs) — loaded with V8's code cache, then main().
//
// Why our own loader: compiling the bundle's code is a third of a drill's time, and Node 20
// caches compiled code for nothing it loads itself (module.enableCompileCache() came in
// Node 22). V8 can, for a script compiled through node:vm: the first run compiles as usual and,
// when the command is done, keeps what V8 compiled — the functions it ran included — in
// $XDG_CACHE_HOME/mangaops/code/; every later run hands it back and V8 skips the compiling.
// The v8-compile-cache package does the same by patching Node's module loader, but it stores
// what is compiled before the code runs (the top level only) and keeps it in the shared temp
// folder. Each dist/ file is an ordinary CommonJS module: without this loader (a test, a
// debugger) Node's own require() loads the same files.
//
// Each command keeps its own: what V8 keeps is what the run compiled, and `list` compiles
// little of what a drill needs. A file's data is written once per command, by that command's
// first run that is not stopped by a usage error or a signal. Never trusted when wrong: the folder is named after a hash of the bundle's bytes
// (set by the build) and the Node version, and V8 itself refuses data from another V8, other
// flags or another source length (then it compiles, and the data is written again). Reading
// and writing are best effort: a cache that cannot be read or written costs speed, never a
// command.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { Script } from 'node:vm';
import { cacheDir } from '../core/cache.js';
import { makeDirs } from '../core/dirs.js';

export interface CodeLoader {
  /** module.exports of a file of the bundle, loaded once. */
  load(file: string): unknown;
  /** Keep what V8 compiled for every file that had no usable cache; the number written. */
  save(): number;
}

interface Loaded {
  exports: unknown;
  id: string;
  filename: string;
  loaded: boolean;
}

/** Caches of builds not run for this long are removed when a new build's folder is made. */
const STALE_MS = 7 * 24 * 3600 * 1000;

/** The command a run's code cache is kept for: the first word of argv that is not an option. */
export function commandOf(argv: readonly string[]): string {
  const word = argv.find((a) => !a.startsWith('-')) ?? 'none';
  return /^[a-z][a-z-]{0,30}$/.test(word) ? word : 'other';
}

/**
 * The folder of this bundle's code cache for one command, or none (no cache home, no build id,
 * or MANGAOPS_CODE_CACHE=off). MANGAOPS_CODE_CACHE may also name the folder to use instead of
 * the one under the cache home.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv, build: string | undefined, command: string): string | undefined {
  const setting = env.MANGAOPS_CODE_CACHE;
  const base = setting && isAbsolute(setting) ? setting : cacheDir(env) && join(cacheDir(env)!, 'code');
  if (!base || !build || setting === 'off') return undefined;
  return join(base, `${build}-node${process.versions.node}-${process.arch}`, command);
}

/** Remove other builds' caches that have not been written to for a week. */
function pruneOthers(build: string): void {
  const parent = dirname(build);
  for (const name of readdirSync(parent)) {
    const other = join(parent, name);
    if (other !== build && Date.now() - statSync(other).mtimeMs > STALE_MS) rmSync(other, { recursive: true, force: true });
  }
}

/**
 * A CommonJS loader for the files under `root`: each compiled with the code cache in `cache`
 * (none: plainly compiled). Requires of anything else (Node's built-ins) go to Node.
 */
export function codeLoader(root: string, cache: string | undefined): CodeLoader {
  const modules = new Map<string, Loaded>();
  const unsaved: { file: string; script: Script }[] = [];
  const nodeRequire = createRequire(join(root, 'index.cjs'));
  const cacheFile = (file: string) => join(cache!, `${relative(root, file).replaceAll('/', '+')}.v8`);

  function readCache(file: string): Buffer | undefined {
    if (!cache) return undefined;
    try {
      return readFileSync(cacheFile(file));
    } catch {
      return undefined;
    }
  }

  function load(file: string): unknown {
    const known = modules.get(file);
    if (known) return known.exports;
    const module: Loaded = { exports: {}, id: file, filename: file, loaded: false };
    modules.set(file, module);
    const source = readFileSync(file, 'utf8');
    const cachedData = readCache(file);
    // Node's own module wrapper, on the source's first line so that line numbers stay as they are.
    const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
    if (cache && (!cachedData || script.cachedDataRejected)) unsaved.push({ file, script });
    const dir = dirname(file);
    const require = Object.assign((id: string) => (id.startsWith('./') || id.startsWith('../') ? load(resolve(dir, id)) : nodeRequire(id)), { resolve: nodeRequire.resolve, cache: nodeRequire.cache });
    try {
      (script.runInThisContext() as (...args: unknown[]) => void).call(module.exports, module.exports, require, module, file, dir);
    } catch (error) {
      modules.delete(file);
      throw error;
    }
    module.loaded = true;
    return module.exports;
  }

  function save(): number {
    if (!cache || unsaved.length === 0) return 0;
    let written = 0;
    try {
      let fresh = false;
      try {
        statSync(dirname(cache));
      } catch {
        fresh = true;
      }
      makeDirs(cache, 0o700);
      if (fresh) pruneOthers(dirname(cache));
      for (const { file, script } of unsaved.splice(0)) {
        const target = cacheFile(file);
        const temporary = `${target}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, target);
        written++;
      }
    } catch {
      // Best effort: the next run compiles again.
    }
    return written;
  }

  return { load, save };
}

/**
 * The whole run of bin/mangaops.cjs: main() from dist/cli/main.cjs, the code cache kept, and the
 * process ended with main's code once both streams are flushed.
 */
export async function run(dist: string, argv: string[]): Promise<never> {
  const loader = codeLoader(dist, codeCacheDir(process.env, process.env.MANGAOPS_BUNDLE, commandOf(argv)));
  let code: number;
  try {
    const { main } = loader.load(join(dist, 'cli', 'main.cjs')) as { main(argv: string[]): Promise<number> };
    code = await main(argv);
  } catch (error) {
    // What main() cannot report: the bundle failing to load (a damaged or half-copied install).
    const e = error as Error;
    process.stderr.write(`mangaops: ${e?.message?.split('\n')[0] ?? String(error)}\n`);
    process.stderr.write(argv.includes('--debug') && e?.stack ? `${e.stack}\n` : `  reinstall mangaops (npm ci in ${dirname(dist)}); run again with --debug for the stack trace\n`);
    code = 1;
  }
  process.exitCode = code;
  // What V8 keeps is what the run compiled: a usage error (2) or a signal (128 and up) stops
  // early, and its cache would stand for the command's later runs. The next full run keeps it.
  if (code !== 2 && code < 128) loader.save();
  // The result is out. Work abandoned on the way — an AWS SDK retry's back-off sleep after a
  // probe timed out, which the SDK cannot cancel — must not keep the process alive past it.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((done) => stream.write('', done))));
  process.exit(code);
}
