// deploy/template.yaml as CloudFormation will read it — YAML with its short-form tags (!Ref,
// !Sub, !GetAtt) — checked against the code it deploys: the bundle path, the EventBridge
// pattern the runbooks' alarms make, and the read policy `iam-policy` derives.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse, type Tags } from 'yaml';
import { describe, expect, it } from 'vitest';
import { iamPolicies, teamTablePolicy } from '../../src/capabilities/policies.js';
import { TABLE_DEFINITION, TTL_ATTRIBUTE } from '../../src/team/store.js';
import { loadConfig } from '../../src/core/config.js';
import { eventPattern } from '../../src/runbook/alarms.js';
import { loadAll } from '../../src/runbook/catalog.js';

const file = join(import.meta.dirname, '..', '..', 'deploy', 'template.yaml');

// The short forms CloudFormation reads, as their long forms: !Ref x → { Ref: x }, …
const scalar = (tag: string, key: string) => ({ tag: `!${tag}`, resolve: (v: string) => ({ [key]: tag === 'GetAtt' ? v.split('.') : v }) });
const sequence = (tag: string) => ({ tag: `!${tag}`, collection: 'seq' as const, resolve: (v: { toJSON(): unknown }) => ({ [`Fn::${tag}`]: v.toJSON() }) });
const cfnTags: Tags = [
  scalar('Ref', 'Ref'),
  scalar('Sub', 'Fn::Sub'),
  scalar('GetAtt', 'Fn::GetAtt'),
  scalar('ImportValue', 'Fn::ImportValue'),
  scalar('Base64', 'Fn::Base64'),
  ...['Sub', 'Join', 'If', 'Select', 'Split', 'Equals', 'And', 'Or', 'Not', 'FindInMap', 'GetAZs', 'Cidr'].map(sequence),
] as Tags;

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const template = parse(readFileSync(file, 'utf8'), { customTags: cfnTags }) as { Parameters: Record<string, unknown>; Resources: Record<string, Resource>; Outputs: Record<string, unknown> };
const byType = (type: string) => Object.values(template.Resources).filter((r) => r.Type === type);
/** { "Fn::Sub": "arn:…${AWS::Region}…" } → its string, as iam-policy writes it with placeholders. */
const unsub = (v: unknown): unknown => (v && typeof v === 'object' && 'Fn::Sub' in v ? (v as { 'Fn::Sub': string })['Fn::Sub'] : Array.isArray(v) ? v.map(unsub) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unsub(x)])) : v);

const config = await loadConfig({ env: {} });
const runbooks = (await loadAll(config)).map((l) => l.runbook);

describe('GIVEN deploy/template.yaml', () => {
  it('THEN it parses as CloudFormation YAML and every !Ref names a parameter or a resource', () => {
    expect(template.Resources).toBeDefined();
    const names = new Set([...Object.keys(template.Parameters), ...Object.keys(template.Resources), 'AWS::Region', 'AWS::AccountId']);
    const refs = JSON.stringify(template).match(/"Ref":"([^"]+)"/g)!.map((r) => r.slice(7, -1));
    expect(refs.filter((r) => !names.has(r))).toEqual([]);
  });

  it('THEN the function is the bundle npm run build makes: dist/lambda/handler.mjs, handler.handler, Node 20', () => {
    const [fn] = byType('AWS::Lambda::Function');
    expect(fn!.Properties).toMatchObject({ Runtime: 'nodejs20.x', Handler: 'handler.handler', Code: '../dist/lambda' });
    const code = resolve(dirname(file), fn!.Properties.Code as string);
    expect(code).toBe(resolve(dirname(file), '..', 'dist', 'lambda'));
    expect(existsSync(join(code, 'handler.mjs')), 'run npm run build').toBe(true);
    expect(existsSync(join(code, 'runbooks', 'first-token.yaml'))).toBe(true);
    // The webhook URL is read from the SecureString at run time, never put in the template.
    expect(fn!.Properties.Environment.Variables).toMatchObject({ MANGAOPS_WEBHOOK_PARAMETER: { Ref: 'WebhookParameterName' } });
    expect(JSON.stringify(template)).not.toMatch(/hooks\.slack\.com|resolve:ssm-secure/);
  });

  it("THEN the EventBridge rule takes exactly the runbooks' alarms (mangaops alarms --event-pattern) to the function", () => {
    const [rule] = byType('AWS::Events::Rule');
    expect(rule!.Properties.EventPattern, 'regenerate with: mangaops alarms --event-pattern').toEqual(eventPattern(runbooks));
    expect(rule!.Properties.Targets[0].Arn).toEqual({ 'Fn::GetAtt': ['Function', 'Arn'] });
  });

  it('THEN the role reads what iam-policy derives from the runbooks, and writes nothing to the platform', () => {
    const [role] = byType('AWS::IAM::Role');
    const reads = role!.Properties.Policies.find((p: { PolicyName: string }) => p.PolicyName === 'mangaops-reads').PolicyDocument;
    const expected = iamPolicies(runbooks, config, { region: '${AWS::Region}', account: '${AWS::AccountId}' }).reads;
    expect(unsub(reads), `regenerate with: mangaops iam-policy --only reads (account and region as \${AWS::AccountId}, \${AWS::Region})\n${JSON.stringify(expected, null, 2)}`).toEqual(expected);
    const all = JSON.stringify(role!.Properties.Policies);
    expect(all).not.toMatch(/ecs:UpdateService|ecs:RegisterTaskDefinition|dynamodb:TransactWriteItems|aoss:Update|servicequotas:Request/);
  });

  it('THEN its team table is the one team init creates (keys, the listing index, TTL), and the role may do what the team code does', () => {
    const [table] = byType('AWS::DynamoDB::Table');
    const p = table!.Properties;
    expect({ BillingMode: p.BillingMode, AttributeDefinitions: p.AttributeDefinitions, KeySchema: p.KeySchema, GlobalSecondaryIndexes: p.GlobalSecondaryIndexes }).toEqual(JSON.parse(JSON.stringify(TABLE_DEFINITION)));
    expect(p.TimeToLiveSpecification).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    const statements = byType('AWS::IAM::Role').flatMap((r) => (r.Properties.Policies as { PolicyDocument: { Statement: { Sid: string; Action: string[] }[] } }[]).flatMap((d) => d.PolicyDocument.Statement));
    const team = statements.find((s) => s.Sid === 'TeamTable')!;
    const wanted = teamTablePolicy('t', { region: 'r', account: 'a' }).Statement.find((s) => s.Sid === 'MangaopsTeamTable')!;
    expect([...team.Action].sort()).toEqual([...(wanted.Action as string[])].sort());
  });
});
