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
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
