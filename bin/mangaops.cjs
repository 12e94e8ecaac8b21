#!/usr/bin/env node
// The only place that touches process.exitCode: everything below returns a number.
// The AWS SDK warns about Node 20 on every client; its own switch keeps that off the screen.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `mangaops list | head` closes the pipe early: that is the reader's choice, not an error;
// src/cli/process-io.ts ends a walk cleanly (journal closed) and exits quietly.
let main;
try {
  ({ main } = await import('../dist/cli/main.js'));
} catch (error) {
  if (error.code !== 'ERR_MODULE_NOT_FOUND') throw error;
  const where = new URL('..', import.meta.url).pathname;
  console.error(`mangaops: not built yet (${error.message.split('\n')[0]}). Run \`npm ci\` in ${where}.`);
  process.exit(1);
}
const code = await main(process.argv.slice(2));
process.exitCode = code;
// The result is out. Work abandoned on the way — an AWS SDK retry's back-off sleep after a probe
// timed out, which the SDK cannot cancel — must not keep the process alive past it: flush both
// streams, then end.
await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
process.exit(code);
