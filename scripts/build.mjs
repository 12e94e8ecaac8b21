// Build dist/ with esbuild: the CLI (dist/cli/main.cjs) and one chunk per lazy boundary — each
// command, and behind them the AWS SDK, ioredis, the OpenSearch client and @inquirer/prompts —
// loaded by import() only when reached. Our modules and the libraries they use travel together:
// one file to read and compile instead of the ~140 files of a plain `tsc` build and the
// libraries' own (bench/startup.bench.ts measures both). Each file is CommonJS, loaded by
// dist/cli/boot.cjs (src/cli/boot.ts) with V8's code cache; bin/mangaops.cjs starts it. Type
// checking stays with tsc (`npm run typecheck`).
//
// MANGAOPS_BUILD is a hash of everything the build reads: caches keyed by it (runbooks,
// config) are never read by a build other than the one that wrote them.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** What the build is made of: our sources, and the exact versions of everything installed. */
function buildId() {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(root, 'src')).sort(), join(root, 'package-lock.json'), join(root, 'package.json')]) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

// Our modules write `import { z } from 'zod'`: zod's one namespace object, which keeps all of
// zod in the bundle. The same import as `import * as z` lets esbuild keep only what is used
// (less than half), so the build reads it that way.
const zodNamespace = {
  name: 'zod-namespace',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^import \{ z \} from 'zod';$/m, "import * as z from 'zod';"),
      loader: 'ts',
    }));
  },
};

// What the libraries load at start-up that mangaops never uses, replaced in the bundle:
// commander's child_process (only for stand-alone executable subcommands; the real module is
// still loaded on first use), chalk's colour detection (style.ts always sets the level), and
// zod's translations of its messages into 40 languages — 40 % of its code; mangaops reports in
// English, which zod sets itself.
const startupShims = {
  name: 'startup-shims',
  setup(build) {
    build.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes('/node_modules/commander/') ? { path: 'child_process', namespace: 'shim' } : undefined));
    build.onResolve({ filter: /^#supports-color$/ }, () => ({ path: 'supports-color', namespace: 'shim' }));
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, (args) => ({
      contents: 'export { default as en } from "./en.js";',
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
    build.onLoad({ filter: /^child_process$/, namespace: 'shim' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
    build.onLoad({ filter: /^supports-color$/, namespace: 'shim' }, () => ({
      contents: 'export function createSupportsColor() { return false; }\nexport default { stdout: false, stderr: false };',
      loader: 'js',
    }));
  },
};

// Modules loaded at their first call in the bundle, not when their importer loads: the
// importer gets a stand-in with the same functions, each of which loads the module the first
// time. Only for what the importer calls synchronously — an import() would force every caller
// to be async: the stand-in writes import() so that esbuild gives the module a file of its own
// (not loaded with the importer's), and the build then turns that into the require() of that
// file, which the bundle's loader does at once (REQUIRE_NOW). A name the importer takes that is
// not listed fails the build. `specifier` is what
// the importers import; `module`, what the stand-in requires (the specifier itself unless
// given); `names`, the functions (a map where the module names one otherwise).
const PROBE_KINDS = ['probe-kind', 'probes', 'cloudwatch/metric', 'cloudwatch/last-seen', 'cloudwatch/regress', 'dynamodb/probes', 'dynamodb/updated', 'dynamodb/products', 'ecs/service', 'ecs/events', 'logs/count', 'redis/cache-age'];
const LAZY = [
  // string-width builds an Intl.Segmenter and compiles its Unicode-property regexes
  // (RGI_Emoji among them) when it loads: 20 ms, a fifth of `mangaops list`, which shows only
  // narrow text (wrap.ts measures and wraps that itself).
  { importers: ['src/ui/wrap.ts'], specifier: './wide.js', names: ['stringWidth', 'wrapAnsi'] },
  // The Mann-Whitney test and its @stdlib functions, for regress probes only: every walk loads
  // the probe kinds, few read a regress probe.
  { importers: ['src/capabilities/cloudwatch/regress.ts'], specifier: '../../stats/compare.js', names: ['assertDecidable', 'compareSamples'] },
  // The journal's record schema (36 zod schemas), for reading a journal back: a walk only writes.
  { importers: ['src/journal/journal.ts'], specifier: './records.js', names: ['parseRecord'] },
  // zod itself (5 ms to load) for the probe kinds, whose schemas are built at first use
  // (core/deferred.ts): a walk reads its runbook from the cache and never builds one, and
  // diagnose loads the kinds before its first request. src/core/zod-subset.ts names what they use.
  {
    importers: PROBE_KINDS.map((k) => `src/capabilities/${k}.ts`),
    specifier: 'zod',
    module: join(root, 'src', 'core', 'zod-subset.ts'),
    names: { array: 'array', boolean: 'boolean', discriminatedUnion: 'discriminatedUnion', enum: 'enumeration', literal: 'literal', number: 'number', record: 'record', strictObject: 'strictObject', string: 'string', union: 'union' },
  },
];

const REQUIRE_NOW = '__mangaopsRequireNow';
/** The stand-ins' import() of their module's file, as the synchronous require() of that file. */
function requireNow(text, file) {
  const out = text.replace(new RegExp(`${REQUIRE_NOW}\\(import\\(("[^"]+")\\)\\)`, 'g'), 'require($1)');
  if (out.includes(REQUIRE_NOW)) throw new Error(`${file}: a lazy stand-in's import() was not turned into require()`);
  return out;
}

const lazyModules = {
  name: 'lazy-modules',
  setup(build) {
    for (const { importers, specifier, module = specifier, names } of LAZY) {
      const from = new Set(importers.map((i) => join(root, i)));
      const functions = Array.isArray(names) ? Object.fromEntries(names.map((n) => [n, n])) : names;
      build.onResolve({ filter: new RegExp(`^${specifier.replace(/[.]/g, '\\.')}$`) }, (args) =>
        from.has(args.importer) && args.namespace === 'file' ? { path: `${args.importer}→${specifier}`, namespace: 'lazy', pluginData: { module, functions, dir: dirname(args.importer) } } : undefined,
      );
    }
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, ({ pluginData: { module, functions, dir } }) => ({
      contents: [
        `let loaded;`,
        `const load = () => (loaded ??= ${REQUIRE_NOW}(import(${JSON.stringify(module)})));`,
        ...Object.entries(functions).map(([name, there]) => `const lazy_${name} = (...args) => load().${there}(...args);\nexport { lazy_${name} as ${name} };`),
      ].join('\n'),
      resolveDir: dir,
      loader: 'js',
    }));
  },
};

export async function build() {
  const { build: esbuild, transform } = await import('esbuild');
  rmSync(out, { recursive: true, force: true });
  const result = await esbuild({
    entryPoints: { 'cli/main': join(root, 'src/cli/main.ts') },
    outdir: out,
    bundle: true,
    // esbuild splits only ES modules: split as one, then make each file CommonJS (below).
    splitting: true,
    format: 'esm',
    outExtension: { '.js': '.cjs' },
    write: false,
    platform: 'node',
    target: 'node20',
    // The libraries' ES builds, as Node would pick through their `exports`.
    mainFields: ['module', 'main'],
    chunkNames: 'chunks/[name]-[hash]',
    minifyWhitespace: process.env.MINIFY === '1', minifySyntax: process.env.MINIFY === '1',
    logLevel: 'warning',
    define: { 'process.env.MANGAOPS_BUILD': JSON.stringify(buildId()), 'import.meta.url': '__mangaopsUrl' },
    plugins: [zodNamespace, startupShims, lazyModules],
    metafile: true,
  });
  // Each file as a CommonJS module (src/cli/boot.ts says why: V8 caches the compiled code of a
  // script, not of an ES module, on Node 20). A chunk's import() of another becomes a require()
  // inside a promise: still loaded only when reached. Strict, as the ES modules were.
  const bundle = createHash('sha256');
  for (const file of result.outputFiles.sort((a, b) => a.path.localeCompare(b.path))) {
    const { code } = await transform(requireNow(file.text, file.path), { format: 'cjs', platform: 'node', target: 'node20', supported: { 'dynamic-import': false }, logLevel: 'warning' });
    const text = `"use strict";${code.replaceAll('__mangaopsUrl', 'require("node:url").pathToFileURL(__filename).href')}`;
    bundle.update(relative(out, file.path)).update('\0').update(text).update('\0');
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, text);
  }
  // The loader bin/mangaops.cjs starts: it names the code cache after the bundle's bytes.
  await esbuild({
    entryPoints: [join(root, 'src/cli/boot.ts')],
    outfile: join(out, 'cli', 'boot.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
    define: { 'process.env.MANGAOPS_BUNDLE': JSON.stringify(bundle.digest('hex').slice(0, 16)) },
  });
  writeFileSync(join(out, 'bundle-map.json'), JSON.stringify(bundleMap(result.metafile), null, 1) + '\n');
  await buildLambda(esbuild);
}

/**
 * The Lambda function (src/lambda/handler.ts) as one file, dist/lambda/handler.mjs, beside a
 * copy of runbooks/ and a package.json — the folder deploy/template.yaml packages as the
 * function's code; core/paths.ts finds runbooks/ by walking up from the module to them.
 */
async function buildLambda(esbuild) {
  const lambda = join(out, 'lambda');
  await esbuild({
    entryPoints: [join(root, 'src', 'lambda', 'handler.ts')],
    outfile: join(lambda, 'handler.mjs'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'linked',
    logLevel: 'warning',
    define: { 'process.env.MANGAOPS_BUILD': JSON.stringify(buildId()) },
    plugins: [zodNamespace, startupShims],
    banner: { js: "import { createRequire as __mangaopsRequire } from 'node:module'; const require = __mangaopsRequire(import.meta.url);" },
  });
  cpSync(join(root, 'runbooks'), join(lambda, 'runbooks'), { recursive: true });
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  writeFileSync(join(lambda, 'package.json'), JSON.stringify({ name: 'mangaops-lambda', version, type: 'module', private: true }, null, 2) + '\n');
}

/** What each file of dist/ carries: our modules by path, libraries by package name (startup.test.ts reads it). */
function bundleMap(metafile) {
  const map = {};
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    if (!output.endsWith('.cjs')) continue;
    const parts = Object.keys(inputs).map((input) => input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? input.replace(/^.*?(src\/)/, '$1'));
    map[relative(out, join(root, output))] = [...new Set(parts)].sort();
  }
  return map;
}
