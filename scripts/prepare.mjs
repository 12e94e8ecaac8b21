// `prepare` (run by npm ci, npm install and npm install -g .): compile src/ to dist/, then
// bundle the Lambda entry (src/lambda/handler.ts) with esbuild into dist/lambda/handler.mjs,
// beside a copy of runbooks/ — the folder deploy/template.yaml packages as the function's code.
// A global install from a fresh clone links the folder without installing its dev
// dependencies, so the compiler is missing there: say what to do instead of "tsc: not found".
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.error('mangaops: the TypeScript compiler is not installed here. Run `npm ci` in this folder first, then `npm install -g .`');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

// The Lambda bundle. esbuild comes with the dev dependencies (through vitest and tsx); without
// it the CLI is built and only the bundle is skipped, saying so.
let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.error('mangaops: esbuild is not installed here: dist/lambda (the Lambda bundle) was not built. Run `npm ci` first.');
  process.exit(0);
}
const out = join(root, 'dist', 'lambda');
rmSync(out, { recursive: true, force: true });
await esbuild.build({
  entryPoints: [join(root, 'src', 'lambda', 'handler.ts')],
  outfile: join(out, 'handler.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // CommonJS dependencies require() Node's builtins; an ES module has no require of its own.
  // core/paths.ts finds runbooks/ two folders above its own module: in the bundle, as if the
  // module sat at <bundle dir>/src/core/, so the runbooks copied beside handler.mjs are found.
  banner: {
    js: [
      "import { createRequire as __mangaopsCreateRequire } from 'node:module';",
      'const require = __mangaopsCreateRequire(import.meta.url);',
      "const __mangaopsModuleUrl = new URL('./src/core/paths.js', import.meta.url).href;",
    ].join('\n'),
  },
  define: { 'import.meta.url': '__mangaopsModuleUrl' },
});
cpSync(join(root, 'runbooks'), join(out, 'runbooks'), { recursive: true });
