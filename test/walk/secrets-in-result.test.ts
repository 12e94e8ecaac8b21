// A fix's secret parameters stay masked in everything a walk prints: the report, and the
// --json result a script reads (which lists each fix of the outcome with its parameters).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageCopy } from '../helpers/cli.js';

describe('a secret in a fix of the outcome', () => {
  it('GIVEN ecs.set-env setting a *TOKEN* value THEN the --json result and the report show its mask and hash, never the value', () => {
    const pkg = packageCopy();
    const file = join(pkg.runbooks, 'first-token.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('env: { BEDROCK_POOL_SIZE: "10", BEDROCK_KEEPALIVE_INTERVAL: "15" }', 'env: { BEDROCK_POOL_SIZE: "10", BEDROCK_API_TOKEN: "hunter2-never-printed" }'));
    const r = pkg.run(['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const steps = (JSON.parse(r.stdout) as { steps: { action?: string; params?: { env?: Record<string, string> } }[] }).steps;
    const setEnv = steps.find((s) => s.action === 'ecs.set-env')!;
    expect(setEnv.params!.env!.BEDROCK_API_TOKEN).toMatch(/^\*\*\*\* \(sha256 [0-9a-f]{8}\)$/);
    expect(setEnv.params!.env!.BEDROCK_POOL_SIZE).toBe('10');
    expect(r.stdout + r.stderr).not.toContain('hunter2');
  });
});
