// The built CLI as a subprocess: what a user typing the README's commands sees.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli } from '../helpers/cli.js';

describe('the built CLI', () => {
  it('lists the scenarios with severity and alarm', () => {
    const r = runCli(['list']);
    expect(r.code).toBe(0);
    // The title wraps under its column at 80 columns: words, not a layout, are what is checked.
    expect(r.stdout).toMatch(/first-token\s+SEV-2\s+First-token latency exceeds 2s during peak evening\s+hours/);
    expect(r.stdout).toContain('alarm:');
    const json = JSON.parse(runCli(['list', '--json']).stdout) as { id: string }[];
    expect(json.map((j) => j.id)).toContain('rag-timeout');
  });

  it('validates every shipped runbook', () => {
    const r = runCli(['validate']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/runbook\(s\) valid/);
    expect(r.code).toBe(0);
  });

  it('exits 1 with file:line findings for a broken runbook', () => {
    const r = runCli(['validate', 'test/fixtures/runbooks/broken/dangling-node.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("test/fixtures/runbooks/broken/dangling-node.yaml:29 nodes.check-latency.branches.1.to: no node 'who-know' (did you mean 'who-knows'?)");
  });

  it('prints the tree as a mermaid flowchart and as text', () => {
    const m = runCli(['graph', 'first-token']);
    expect(m.code).toBe(0);
    expect(m.stdout.split('\n')[0]).toBe('flowchart TD');
    expect(m.stdout).toContain('-->|"No - pings failing"|');
    const t = runCli(['graph', 'first-token', '--format', 'text']);
    expect(t.stdout).toContain('? Which intents are affected?');
  });

  it('names the valid ids and the closest for an unknown scenario, exit 2, no stack', () => {
    const r = runCli(['graph', 'first-tokn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown scenario 'first-tokn' (did you mean 'first-token'?)");
    expect(r.stderr).toContain('scenarios: first-token');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an interactive walk without a terminal, naming --auto and --json', () => {
    const r = runCli(['drill', 'first-token', '--case', 'cold-connections']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pass --auto');
    expect(r.stderr).toContain('--json');
  });

  it('runs the README main job non-interactively: drill --auto --json reports the outcome', () => {
    const r = runCli(['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { outcome: { id: string }; scenario: string; incident: string };
    expect(result.scenario).toBe('first-token');
    expect(result.outcome.id).toBe('cold-connections');
    expect(result.incident).toMatch(/^\d{8}-\d{6}-first-token-[0-9a-f]{4}$/);
  });

  it('with AWS unreachable, every probe is "no data" and --auto stops at the first question with exit 3', () => {
    // A closed local port stands in for an endpoint that is down; dummy keys, no real AWS.
    const r = runCli(['diagnose', 'first-token', '--auto', '--probe-timeout', '1500'], {
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toContain('[which-intents] needs a human answer');
    expect(r.stderr).toContain('--answer which-intents=');
    expect(r.stderr).not.toMatch(/NodeVersionSupportWarning/);
  });

  it('prints the version of the package, exit 0', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  // What --help loads is measured in startup.test.ts; here, what the user reads.
  it('prints help naming every command, exit 0', () => {
    const r = runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: mangaops');
    for (const command of ['list', 'validate', 'graph', 'diagnose', 'drill', 'resume', 'journal', 'regress', 'gate', 'iam-policy', 'act', 'undo', 'incidents', 'follow', 'handover', 'approve', 'team']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });
});
