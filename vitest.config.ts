import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Tests never touch the user's own home, state, config or cache directories: every test
// process starts with them pointing into a throwaway folder (a test may set its own).
const home = mkdtempSync(join(tmpdir(), 'mangaops-test-home-'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start real redis-server / DynamoDB Local processes; two cores, so keep forks modest.
    pool: 'forks',
    maxWorkers: 2,
    env: {
      // The SDK's own switch for its Node-20 notice, as bin/mangaops.cjs sets it for users.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      HOME: home,
      XDG_STATE_HOME: join(home, 'state'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      // The built CLI's compiled code, kept once for the whole suite (src/cli/boot.ts).
      MANGAOPS_CODE_CACHE: join(home, 'code'),
    },
  },
});
