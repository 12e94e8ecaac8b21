// `prepare` (run by npm ci, npm install and npm install -g .): bundle src/ into dist/
// (scripts/build.mjs). A global install from a fresh clone links the folder without installing
// its dev dependencies, so the bundler is missing there: say what to do instead of a stack.
let build;
try {
  await import('esbuild');
  ({ build } = await import('./build.mjs'));
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  console.error('mangaops: the bundler (esbuild) is not installed here. Run `npm ci` in this folder first, then `npm install -g .`');
  process.exit(1);
}
await build();
