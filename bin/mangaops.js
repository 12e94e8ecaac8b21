#!/usr/bin/env node
// The only place that touches process.exitCode: everything below returns a number.
// The AWS SDK warns about Node 20 on every client; its own switch keeps that off the screen.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv.slice(2));
