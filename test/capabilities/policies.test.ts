import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../src/capabilities/iam.js';
import { iamPolicies } from '../../src/capabilities/policies.js';
import { iamPolicy } from '../../src/commands/iam-policy.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { loadConfig } from '../../src/core/config.js';
import type { Io } from '../../src/core/io.js';

const config = await loadConfig({ env: {} });
const where = { region: 'ap-northeast-1', account: '123456789012' };

function actions(doc: PolicyDocument): string[] {
  return [...new Set(doc.Statement.flatMap((s) => s.Action))].sort();
}

function resourcesOf(doc: PolicyDocument, action: string): string[] {
  return doc.Statement.filter((s) => s.Action.includes(action)).flatMap((s) => s.Resource);
}

describe('GIVEN the shipped runbooks', () => {
  it('WHEN stale-precompute asks THEN its reads are GetMetricData, DescribeAlarms (it answers alarms), DescribeTable and BatchGetItem on the inventory table only', async () => {
    const { runbook } = await findRunbook('stale-precompute', config);
    const { reads } = iamPolicies([runbook], config, where);
    expect(actions(reads)).toEqual(['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'dynamodb:BatchGetItem', 'dynamodb:DescribeTable']);
    expect(resourcesOf(reads, 'dynamodb:DescribeTable')).toEqual(['arn:aws:dynamodb:ap-northeast-1:123456789012:table/manga-inventory']);
    expect(resourcesOf(reads, 'cloudwatch:GetMetricData')).toEqual(['*']);
  });

  it('WHEN rag-timeout asks THEN Logs Insights StartQuery is scoped to the log group and the query calls are "*"', async () => {
    const { runbook } = await findRunbook('rag-timeout', config);
    const { reads } = iamPolicies([runbook], config, where);
    expect(resourcesOf(reads, 'logs:StartQuery')).toEqual(['arn:aws:logs:ap-northeast-1:123456789012:log-group:/ecs/mangaassist/orchestrator:*']);
    expect(resourcesOf(reads, 'logs:GetQueryResults')).toEqual(['*']);
    expect(actions(reads)).not.toContain('logs:*');
  });

  it('WHEN every runbook is asked THEN reads hold no write and writes hold the actions outcomes name, on their resources', async () => {
    const { runbook: a } = await findRunbook('first-token', config);
    const { runbook: b } = await findRunbook('stale-precompute', config);
    const { runbook: c } = await findRunbook('websocket-drop', config);
    const { reads, writes, notes } = iamPolicies([a, b, c], config, where);
    expect(actions(reads).filter((x) => /Update|Put|Register|Request|Execute|Pass/.test(x))).toEqual([]);
    const w = actions(writes);
    expect(w).toEqual(expect.arrayContaining(['ecs:UpdateService', 'ecs:DescribeServices']));
    expect(w.every((x) => !x.endsWith(':*'))).toBe(true);
    expect(resourcesOf(writes, 'ecs:UpdateService')).toEqual(['arn:aws:ecs:ap-northeast-1:123456789012:service/mangaassist-prod/orchestrator']);
    // Redis actions need no IAM; the policy says so rather than inventing one.
    if (JSON.stringify(b).includes('"redis.')) expect(notes.some((n) => /Redis authenticates with AUTH/.test(n))).toBe(true);
  });

  it('WHEN an outcome flips a DynamoDB version THEN the item-level actions TransactWriteItems needs are granted (there is no TransactWriteItems IAM action)', () => {
    const runbook = {
      probes: {},
      nodes: { fix: { type: 'outcome', resolution: [{ tier: 'immediate', steps: [{ text: 'flip', action: 'dynamodb.flip-version', params: { table: 'manga-prompt-templates', intent: 'recommendation', to: 'v1' } }] }] } },
    } as never;
    const { writes } = iamPolicies([runbook], config, where);
    expect(writes.Statement).toEqual([
      {
        Sid: 'DynamoDbFlipVersion',
        Effect: 'Allow',
        Action: ['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        Resource: ['arn:aws:dynamodb:ap-northeast-1:123456789012:table/manga-prompt-templates'],
      },
    ]);
  });
});

describe('mangaops iam-policy', () => {
  it('prints { reads, writes } as JSON on stdout, notes on stderr, exit 0', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => void out.push(s) }, stderr: { write: (s: string) => void err.push(s) }, env: {}, interactive: false, color: false, columns: 80, prompter: {} as never, now: () => 0 } satisfies Io;
    expect(await iamPolicy({ scenario: 'first-token', json: true }, io)).toBe(0);
    const printed = JSON.parse(out.join('')) as { reads: PolicyDocument; writes: PolicyDocument };
    expect(Object.keys(printed)).toEqual(['reads', 'writes']);
    expect(printed.reads.Version).toBe('2012-10-17');
    expect(printed.reads.Statement.length).toBeGreaterThan(0);
  });

  it('rejects an unknown scenario with a usage error', async () => {
    const io = { stdout: { write: () => {} }, stderr: { write: () => {} }, env: {}, interactive: false, color: false, columns: 80, prompter: {} as never, now: () => 0 } satisfies Io;
    await expect(iamPolicy({ scenario: 'nope' }, io)).rejects.toMatchObject({ exitCode: 2 });
  });
});

describe('mangaops iam-policy: the account and --only', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: { write: (s: string) => void out.push(s) }, stderr: { write: (s: string) => void err.push(s) }, env: {}, interactive: false, color: false, columns: 80, prompter: {} as never, now: () => 0 } satisfies Io;
    return { io, out: () => out.join(''), err: () => err.join('') };
  };

  it('GIVEN credentials THEN the ARNs name the caller\'s account from STS GetCallerIdentity', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:sts::210987654321:assumed-role/oncall/jo', UserId: 'x' });
    const t = capture();
    expect(await iamPolicy({ scenario: 'stale-precompute', only: 'reads' }, t.io)).toBe(0);
    expect(t.out()).toContain('arn:aws:dynamodb:ap-northeast-1:210987654321:table/manga-inventory');
    expect(t.out()).not.toContain('123456789012');
    expect(t.err()).toContain('account 210987654321 from the current credentials');
  });

  it('GIVEN no credentials THEN it says the ARNs name the example account, never silently', async () => {
    sts.on(GetCallerIdentityCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const t = capture();
    expect(await iamPolicy({ scenario: 'first-token' }, t.io)).toBe(0);
    expect(t.err()).toMatch(/note: ARNs name 123456789012, the example account of the shipped config/);
  });

  it('GIVEN --only THEN exactly one policy document, as aws iam create-policy takes it', async () => {
    sts.on(GetCallerIdentityCommand).resolves({ Account: '210987654321', Arn: 'arn:aws:iam::210987654321:user/jo' });
    for (const only of ['reads', 'writes'] as const) {
      const t = capture();
      await iamPolicy({ scenario: 'first-token', only }, t.io);
      const doc = JSON.parse(t.out()) as PolicyDocument;
      expect(Object.keys(doc)).toEqual(['Version', 'Statement']);
      expect(doc.Version).toBe('2012-10-17');
      expect(doc.Statement.length).toBeGreaterThan(0);
    }
  });
});
