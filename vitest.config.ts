import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites start real redis-server / DynamoDB Local processes; two cores, so keep forks modest.
    pool: 'forks',
    maxWorkers: 2,
    // The SDK's own switch for its Node-20 notice, as bin/mangaops.js sets it for users.
    // A throwaway cache folder for anything a test starts with the process's environment:
    // tests never write the user's own ~/.cache/mangaops.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-vitest-cache-')) },
  },
});
