// `prepare` (run by npm ci, npm install and npm install -g .): compile src/ to dist/.
// A global install from a fresh clone links the folder without installing its dev
// dependencies, so the compiler is missing there: say what to do instead of "tsc: not found".
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc');
} catch {
  console.error('mangaops: the TypeScript compiler is not installed here. Run `npm ci` in this folder first, then `npm install -g .`');
  process.exit(1);
}
const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
