#!/usr/bin/env node
// The only place that ends the process: dist/cli/boot.cjs runs main() and exits with its code.
// CommonJS, like the bundle it loads: no ES-module loader to start (src/cli/boot.ts says why).
// The AWS SDK warns about Node 20 on every client; its own switch keeps that off the screen.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { join } = require('node:path');
const dist = join(__dirname, '..', 'dist');
let boot;
try {
  boot = require(join(dist, 'cli', 'boot.cjs'));
} catch (error) {
  if (error.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('boot.cjs')) throw error;
  console.error(`mangaops: not built yet (no ${join(dist, 'cli', 'boot.cjs')}). Run \`npm ci\` in ${join(__dirname, '..')}.`);
  process.exit(1);
}
boot.run(dist, process.argv.slice(2));
