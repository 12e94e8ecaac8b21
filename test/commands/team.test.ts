// The team commands where no table is needed to tell: what team init would create, and what
// each team command says when no team table is configured (local-first: nothing changes).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulatedPorts } from '../../src/capabilities/adapters.js';
import { teamTablePolicy } from '../../src/capabilities/policies.js';
import { act } from '../../src/commands/act.js';
import { approve } from '../../src/commands/approve.js';
import { follow, incidents, teamInit } from '../../src/commands/team.js';
import { UsageError } from '../../src/core/errors.js';
import { listJournals, readJournal } from '../../src/journal/journal.js';
import { makeIo } from '../helpers/io.js';

const state = () => mkdtempSync(join(tmpdir(), 'mangaops-team-cmd-'));

describe('team init --dry-run', () => {
  it('GIVEN a configured table THEN the design and the aws CLI commands, and nothing created', async () => {
    const t = makeIo({ env: { MANGAOPS_TEAM_TABLE: 'mangaops-team' } });
    expect(await teamInit({ dryRun: true }, t.io)).toBe(0);
    const out = t.out();
    expect(out).toContain('Team table mangaops-team in ap-northeast-1');
    expect(out).toContain('aws dynamodb create-table --region ap-northeast-1 --table-name mangaops-team --billing-mode PAY_PER_REQUEST');
    expect(out).toContain('--key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE');
    expect(out).toContain('"IndexName":"by-listing"');
    expect(out).toContain('aws dynamodb update-time-to-live --region ap-northeast-1 --table-name mangaops-team --time-to-live-specification Enabled=true,AttributeName=ttl');
    expect(out).toMatch(/Dry run: nothing was created\.\n$/);
  });

  it('GIVEN no table configured THEN a usage error saying how to name one', async () => {
    await expect(teamInit({ dryRun: true }, makeIo().io)).rejects.toThrow(UsageError);
    await expect(teamInit({ dryRun: true }, makeIo().io)).rejects.toThrow('no team table is configured: which table should team init create?');
  });
});

describe('without a team table', () => {
  it('GIVEN incidents, follow or approve THEN each says it needs the team table', async () => {
    const { io } = makeIo({ env: { XDG_STATE_HOME: state() } });
    await expect(incidents({}, io)).rejects.toThrow('incidents needs the team table, and none is configured');
    await expect(follow({ incident: 'x' }, io)).rejects.toThrow('follow needs the team table, and none is configured');
    await expect(approve({ incident: 'x', step: '1' }, io)).rejects.toThrow('approvals need the team table, and none is configured');
  });

  it('GIVEN an action the config says needs approval THEN it stops after its plan, saying approvals need the team table', async () => {
    const dir = state();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'approvals:\n  ecs.scale: 1\n');
    const t = makeIo({ env: { XDG_STATE_HOME: dir } });
    const run = act({ action: 'ecs.scale', rest: ['--desired-count', '5'], yes: true, config }, t.io, { ports: simulatedPorts({}), sleep: async () => {} });
    await expect(run).rejects.toThrow('ecs.scale needs 1 approval (config approvals), and approvals need the team table: none is configured');
    const records = readJournal(listJournals(t.io.env)[0]!.file);
    expect(records.filter((r) => r.type === 'step').map((r) => (r as { status: string }).status)).toEqual(['planned']);
  });

  it('GIVEN an approvals key that is no action THEN a usage error naming the closest', async () => {
    const dir = state();
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'approvals:\n  redis.purg: 1\n');
    const t = makeIo({ env: { XDG_STATE_HOME: dir } });
    await expect(act({ action: 'ecs.scale', rest: ['--desired-count', '5'], yes: true, config }, t.io, { ports: simulatedPorts({}) })).rejects.toThrow("approvals: no action 'redis.purg' (did you mean 'redis.purge'?)");
    expect(listJournals(t.io.env)).toEqual([]);
  });
});

describe('the team policy', () => {
  it('GIVEN the table THEN item reads and writes on it and its index, and what team init needs, nothing else', () => {
    const policy = teamTablePolicy('mangaops-team', { region: 'ap-northeast-1', account: '123456789012' });
    const arn = 'arn:aws:dynamodb:ap-northeast-1:123456789012:table/mangaops-team';
    expect(policy.Statement).toEqual([
      { Sid: 'MangaopsTeamTable', Effect: 'Allow', Action: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'], Resource: [arn, `${arn}/index/*`] },
      { Sid: 'MangaopsTeamInit', Effect: 'Allow', Action: ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive'], Resource: [arn] },
    ]);
  });
});
