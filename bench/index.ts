// `npm run bench [name…]`: runs every bench/*.bench.ts (or the named ones) in one process,
// each printing its figures side by side with its baseline. Not part of `npm test`: timing
// belongs here, never in an assertion.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run: () => Promise<void> };
  console.log(`\n=== ${file.replace('.bench.ts', '')} ===`);
  await mod.run();
}
