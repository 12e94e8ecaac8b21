// Team incidents, end to end: engineers as separate processes of the built CLI, each with its
// own state directory and USER, sharing one DynamoDB Local team table (created by `team
// init`). What each engineer sees is asserted on what the commands print and journal.
import { DeleteItemCommand, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { hostname, tmpdir } from 'node:os';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as dynamoSdk from '@aws-sdk/client-dynamodb';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../src/journal/render.js';
import { JournalRecord } from '../../src/journal/records.js';
import { dynamoTeamStore } from '../../src/team/dynamo.js';
import { DriverRole } from '../../src/team/driver.js';
import { IncidentSync } from '../../src/team/sync.js';
import { Team } from '../../src/team/team.js';
import { makeIo } from '../helpers/io.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import { startDynamoLocal, type DynamoLocal } from '../helpers/dynamodb-local.js';
import { createTable, localClient, putAll } from '../helpers/dynamo-tables.js';
import { engineer, startAwsStandIn, until, type Engineer } from '../helpers/team.js';

const TABLE = 'mangaops-team';
const host = hostname();
let local: DynamoLocal;
let aws: Awaited<ReturnType<typeof startAwsStandIn>>;
let base: Record<string, string>;
let client: ReturnType<typeof localClient>;

/** A config file of its own (lease length, approvals), as MANGAOPS_CONFIG. */
function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'mangaops-team-config-')), 'config.yaml');
  writeFileSync(file, yaml);
  return file;
}

/** The team table's records of one incident, in order: what `follow` and another machine read. */
async function tableRecords(incident: string): Promise<{ seq: number; record: string; by: string }[]> {
  const out = await client.send(new QueryCommand({ TableName: TABLE, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :ev)', ExpressionAttributeValues: { ':pk': { S: `INC#${incident}` }, ':ev': { S: 'EV#' } }, ConsistentRead: true }));
  return (out.Items ?? []).map((i) => ({ seq: Number(i.seq!.N), record: i.record!.S!, by: i.by!.S! }));
}

const newest = (e: Engineer) => e.journals().at(-1)!;
const typed = (e: Engineer, incident: string) => e.records(incident).map((r) => JournalRecord.parse(r));

beforeAll(async () => {
  [local, aws] = await Promise.all([startDynamoLocal(), startAwsStandIn({ orchestrator: { desiredCount: 4, runningCount: 4 } }, [5])]);
  client = localClient(local.endpoint);
  base = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NO_COLOR: '1',
    AWS_REGION: 'ap-northeast-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_DYNAMODB: local.endpoint,
    AWS_ENDPOINT_URL_STS: aws.endpoint,
    AWS_ENDPOINT_URL_ECS: aws.endpoint,
    MANGAOPS_TEAM_TABLE: TABLE,
  };
  const init = await engineer('admin', base).run(['team', 'init']);
  expect(init.code, init.stderr).toBe(0);
  expect(init.stdout).toContain(`Created ${TABLE}`);
  await Promise.all([createTable(client, 'router-config', 'name'), createTable(client, 'race-config', 'name')]);
  await putAll(client, 'router-config', [{ name: 'router', threshold: 0.3 }]);
  await putAll(client, 'race-config', [{ name: 'router' }]);
});

afterAll(async () => {
  await Promise.all([local?.stop(), aws?.close()]);
});

// One test at a time: their processes are what this file costs, and two cores are shared.
describe('team incidents on DynamoDB Local, each engineer a process of their own', () => {
  it('GIVEN a walk on one machine THEN incidents and follow on another see every event, in order', async () => {
    const alice = engineer('alice', base);
    const bob = engineer('bob', base);
    const walk = await alice.run(['drill', 'first-token', '--case', 'cold-connections', '--auto']);
    expect(walk.code, walk.stderr).toBe(0);
    const id = newest(alice);
    const [list, jsonl] = await Promise.all([bob.run(['incidents', '--json']), bob.run(['follow', id, '--json'])]);
    const row = (JSON.parse(list.stdout) as { incident: string }[]).find((r) => r.incident === id);
    expect(row).toMatchObject({ runbook: 'first-token', mode: 'drill', startedBy: `alice@${host}`, status: 'resolved', outcome: 'Root Cause A confirmed: Cold connections to Bedrock', driver: null, leases: [] });
    // The same records, byte for byte, in order (the race below follows one as text, live).
    expect(jsonl.code, jsonl.stderr).toBe(0);
    expect(jsonl.stdout.trimEnd().split('\n')).toEqual(alice.lines(id));
  });

  it('GIVEN a walk stopped at a question and handed over THEN the other engineer resumes it on their machine, and the journal records the new driver', async () => {
    const alice = engineer('alice', base);
    const bob = engineer('bob', base);
    // Every other AWS endpoint is down: no data, so the walk stops at its first question (exit 3).
    const down = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    const first = await alice.run(['diagnose', 'first-token', '--auto', '--probe-timeout', '300'], down);
    expect(first.code, first.stderr).toBe(3);
    const id = newest(alice);
    const handed = await alice.run(['handover', id, '--to', 'bob', '--note', 'no metrics: check the console', '--json']);
    expect(handed.code, handed.stderr).toBe(0);
    // Under --json, stdout is the one result object a script reads.
    expect(JSON.parse(handed.stdout)).toMatchObject({ incident: id, to: 'bob', next: `mangaops resume ${id}` });
    expect(bob.journals()).toEqual([]);
    const resumed = await bob.run(['resume', id, '--auto', '--answer', 'which-intents=All intents'], down);
    expect(resumed.stderr).toContain('[check-bedrock] needs a human answer');
    expect(resumed.code).toBe(3);
    // Bob's journal is Alice's, then his: the resume (who), his answer, where it stopped.
    const mine = bob.lines(id);
    expect(mine.slice(0, alice.lines(id).length)).toEqual(alice.lines(id));
    const added = typed(bob, id).slice(alice.lines(id).length);
    expect(typed(alice, id).at(-1)).toMatchObject({ type: 'handover', from: `alice@${host}`, to: 'bob', note: 'no metrics: check the console' });
    expect(added[0]).toMatchObject({ type: 'resume', who: 'bob', host });
    expect(added).toContainEqual(expect.objectContaining({ type: 'node', node: 'which-intents', answer: 'All intents', answeredBy: '--answer' }));
    expect(added.at(-1)).toMatchObject({ type: 'end', status: 'needs-human' });
    // The table holds the same, once each.
    const table = await tableRecords(id);
    expect(table.map((t) => t.record)).toEqual(mine);
    expect(table.map((t) => t.seq)).toEqual(mine.map((_, i) => i + 1));
    expect(table.at(-1)!.by).toBe(`bob@${host}`);
  });

  it('GIVEN 10 engineers racing for one resource THEN at every instant at most one holds it (their own journaled intervals)', async () => {
    const config = configFile('team:\n  leaseSeconds: 5\n');
    const engineers = Array.from({ length: 10 }, (_, i) => engineer(`eng${i}`, { ...base, MANGAOPS_CONFIG: config }));
    // Someone else holds it first, so that all ten are waiting when it is freed: a real race.
    const now = Date.now();
    const key = { pk: { S: 'LEASE#dynamodb:race-config/router' }, sk: { S: 'LEASE' } };
    await client.send(new PutItemCommand({ TableName: TABLE, Item: { ...key, resource: { S: 'dynamodb:race-config/router' }, name: { S: 'race-config' }, holder: { S: 'carol@elsewhere' }, incident: { S: 'carols-incident' }, step: { N: '1' }, action: { S: 'dynamodb.set-config' }, since: { S: new Date(now).toISOString() }, until: { N: String(now + 60_000) }, token: { S: 'carol' }, listing: { S: 'lease' }, listedAt: { S: new Date(now).toISOString() } } }));
    const runs = engineers.map((e, i) => e.start(['act', 'dynamodb.set-config', '--table', 'race-config', '--key', 'name=router', '--attribute', `a${i}`, '--value', String(i), '--yes', '--wait', '40']));
    const waiting = (e: Engineer) => e.journals().length > 0 && e.records(newest(e)).some((r) => r.type === 'lease' && r.status === 'waiting');
    await until(() => engineers.every(waiting), 30_000, 'all ten to wait for the lease');
    // A third engineer follows one of them live: the wait is on their screen before it ends.
    const follow = engineer('ic', base).start(['follow', newest(engineers[0]!), '--interval', '0.2']);
    await follow.waitFor(/waits for race-config \{"name":"router"\}: being changed by carol@elsewhere \(incident carols-incident, step 1: dynamodb.set-config\)/);
    await client.send(new DeleteItemCommand({ TableName: TABLE, Key: key }));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);

    const intervals = engineers.map((e) => {
      const leases = e.records(newest(e)).filter((r) => r.type === 'lease');
      const taken = leases.find((r) => r.status === 'taken')!;
      const released = leases.find((r) => r.status === 'released')!;
      return { who: e.name, from: Date.parse(String(taken.at)), to: Date.parse(String(released.at)) };
    });
    intervals.sort((a, b) => a.from - b.from);
    for (const [i, cur] of intervals.entries()) {
      expect(cur.to).toBeGreaterThanOrEqual(cur.from);
      if (i) expect(cur.from, `${intervals[i - 1]!.who} held it until ${intervals[i - 1]!.to}, ${cur.who} took it at ${cur.from}`).toBeGreaterThanOrEqual(intervals[i - 1]!.to);
    }
    // Each of them applied its change once the lease was theirs.
    const item = await client.send(new GetItemCommand({ TableName: 'race-config', Key: { name: { S: 'router' } }, ConsistentRead: true }));
    expect(Object.keys(item.Item!).filter((k) => k.startsWith('a')).sort()).toEqual(engineers.map((_, i) => `a${i}`).sort());
    // What the follower printed is eng0's journal as the journal renders it, start to end.
    const followed = await follow.done;
    expect(followed.code, followed.stderr).toBe(0);
    expect(followed.stdout).toBe(renderText(typed(engineers[0]!, newest(engineers[0]!))));
    expect(followed.stdout).toMatch(/waits for race-config[\s\S]*lease on race-config .* taken by eng0@[\s\S]*step 1 applied[\s\S]*lease on race-config \S+ released by eng0@[\s\S]*ended: resolved\n$/);
  }, 60_000);

  it('GIVEN a holder killed with -9 THEN a second engineer is refused at once, told who drives, and proceeds once its lease expires', async () => {
    const config = configFile('team:\n  leaseSeconds: 3\n');
    const alice = engineer('alice', { ...base, MANGAOPS_CONFIG: config });
    const bob = engineer('bob', { ...base, MANGAOPS_CONFIG: config });
    const scale = (n: number) => ['act', 'ecs.scale', '--cluster', 'c1', '--service', 'orchestrator', '--desired-count', String(n), '--yes'];
    // Scaling to 5 never finishes rolling out here: Alice's verify waits, her lease held and renewed.
    const holder = alice.start(scale(5));
    await until(() => alice.journals().length > 0 && alice.records(newest(alice)).some((r) => r.type === 'lease' && r.status === 'taken'), 20_000, 'alice to take the lease');
    const id = newest(alice);

    // While she holds it: Bob is refused at once, told who drives her incident, and sees her lease.
    const waiter = bob.start([...scale(6), '--wait', '30']);
    const [refused, drives, listed] = await Promise.all([bob.run(scale(6)), bob.run(['resume', id]), bob.run(['incidents', '--open', '--json'])]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`orchestrator is being changed by alice@${host} \\(incident ${id}, step 1: ecs\\.scale\\) since \\d\\d:\\d\\d:\\d\\d UTC; lease until \\d\\d:\\d\\d:\\d\\d UTC — --wait to wait`));
    expect(drives.code).toBe(1);
    expect(drives.stderr).toContain(`alice@${host} drives incident ${id}`);
    const row = (JSON.parse(listed.stdout) as { incident: string }[]).find((r) => r.incident === id);
    expect(row).toMatchObject({ driver: `alice@${host}`, leases: [{ resource: 'ecs:c1/orchestrator', name: 'orchestrator', holder: `alice@${host}`, step: 1, action: 'ecs.scale' }] });
    // --take: Bob takes her incident over, saying why; the journal keeps the reason.
    const took = await bob.run(['resume', id, '--take', "alice's laptop froze", '--json']);
    expect(took.code, took.stderr).toBe(0);
    expect(JSON.parse(took.stdout)).toMatchObject({ incident: id, driving: true, takenOverFrom: `alice@${host}` });
    expect(bob.records(id).at(-1)).toMatchObject({ type: 'resume', who: 'bob', take: { reason: "alice's laptop froze", from: `alice@${host}` } });

    // Alice's process dies mid-verify: nobody releases her lease; it expires.
    const bobWaits = () => bob.journals().some((j) => bob.records(j).some((r) => r.type === 'lease' && r.status === 'waiting'));
    await until(bobWaits, 20_000, 'bob to wait for the lease');
    holder.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect((await holder.done).signal).toBe('SIGKILL');
    const waited = await waiter.done;
    expect(waited.code, waited.stderr).toBe(0);
    const his = bob.records(bob.journals().find((j) => bob.records(j).some((r) => r.status === 'waiting'))!).filter((r) => r.type === 'lease');
    expect(his.map((r) => r.status)).toEqual(['waiting', 'taken', 'released']);
    expect(Date.parse(String(his[1]!.at))).toBeGreaterThan(killedAt);
    expect(aws.services.orchestrator).toEqual({ desiredCount: 6, runningCount: 6 });
  }, 60_000);

  it('GIVEN a holder stopped with SIGTERM mid-verify THEN its lease is released on the way out, and the next engineer is not refused', async () => {
    const alice = engineer('alice', base);
    const bob = engineer('bob', base);
    const scale = (n: number) => ['act', 'ecs.scale', '--cluster', 'c1', '--service', 'orchestrator', '--desired-count', String(n), '--yes', '--verify-timeout', '60000'];
    // Scaling to 5 never finishes rolling out here: Alice's verify waits, her lease held.
    const holder = alice.start(scale(5));
    await until(() => alice.journals().length > 0 && alice.records(newest(alice)).some((r) => r.type === 'lease' && r.status === 'taken'), 20_000, 'alice to take the lease');
    holder.child.kill('SIGTERM');
    expect((await holder.done).code).toBe(143);
    expect(alice.records(newest(alice)).filter((r) => r.type === 'lease').map((r) => r.status)).toEqual(['taken', 'released']);
    const next = await bob.run(scale(4));
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).not.toContain('is being changed by');
  }, 60_000);

  it('GIVEN an action that needs an approval THEN exit 3, self-approval refused, a changed plan refused, another engineer approves, resume applies it', async () => {
    const config = configFile('approvals:\n  dynamodb.set-config: 1\n');
    const alice = engineer('alice', { ...base, MANGAOPS_CONFIG: config });
    const bob = engineer('bob', { ...base, MANGAOPS_CONFIG: config });
    const asked = await alice.run(['act', 'dynamodb.set-config', '--table', 'router-config', '--key', 'name=router', '--attribute', 'threshold', '--value', '0.6', '--yes']);
    expect(asked.code, asked.stderr).toBe(3);
    const id = newest(alice);
    expect(asked.stderr).toContain(`needs approval: mangaops approve ${id} 1`);

    const self = await alice.run(['approve', id, '1', '--yes']);
    expect(self.code).toBe(1);
    expect(self.stderr).toContain(`you (alice@${host}) planned step 1 yourself: another engineer must approve it`);

    // Someone changes the threshold meanwhile: the plan Bob would approve is not Alice's any more.
    const setThreshold = (v: string) => client.send(new PutItemCommand({ TableName: 'router-config', Item: { name: { S: 'router' }, threshold: { N: v } } }));
    await setThreshold('0.4');
    const stale = await bob.run(['approve', id, '1', '--yes']);
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain("step 1's plan no longer holds: it was router-config {\"name\":\"router\"} threshold 0.3 → 0.6; now it would be router-config {\"name\":\"router\"} threshold 0.4 → 0.6");
    await setThreshold('0.3');

    const approved = await bob.run(['approve', id, '1', '--yes', '--note', 'checked the error budget']);
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toContain('threshold');
    const again = await bob.run(['approve', id, '1', '--yes', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ incident: id, step: 1, alreadyApproved: true });
    const applied = await alice.run(['resume', id, '--yes']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('verified: Set threshold');
    const item = await client.send(new GetItemCommand({ TableName: 'router-config', Key: { name: { S: 'router' } }, ConsistentRead: true }));
    expect(item.Item!.threshold).toEqual({ N: '0.6' });
    // `journal show --format markdown` is this rendering of the journal.
    const markdown = renderMarkdown(typed(alice, id));
    expect(markdown).toContain(`step 1 (dynamodb.set-config) approved by bob@${host} ("checked the error budget")`);
    expect(markdown).toContain(`step 2 (dynamodb.set-config) goes ahead, approved by bob@${host} (step 1) ("checked the error budget")`);
  }, 60_000);

  it('GIVEN the table unreachable THEN the walk goes on locally and says so once; team sync uploads it, and nothing twice', async () => {
    const carol = engineer('carol', base);
    const offline = await carol.run(['drill', 'first-token', '--case', 'cold-connections', '--auto'], { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    expect(offline.code, offline.stderr).toBe(0);
    expect(offline.stderr.match(/cannot be reached/g)).toHaveLength(1);
    const id = newest(carol);
    expect(await tableRecords(id)).toEqual([]);
    const synced = await carol.run(['team', 'sync']);
    expect(synced.code, synced.stderr).toBe(0);
    const lines = carol.lines(id);
    expect(synced.stdout).toContain(`${id}: uploaded ${lines.length} record(s)`);
    const table = await tableRecords(id);
    expect(table.map((t) => t.record)).toEqual(lines);
    expect(table.map((t) => t.seq)).toEqual(lines.map((_, i) => i + 1));
  });
});

describe('the shared journal in the team table (in process, same DynamoDB Local)', () => {
  const team = (env: NodeJS.ProcessEnv = {}, who = 'dana') => {
    const { io, err } = makeIo({ now: () => Date.now() });
    const store = dynamoTeamStore({ client, sdk: dynamoSdk, region: 'ap-northeast-1' }, TABLE);
    return { team: new Team({ table: TABLE, leaseMs: 5000 }, store, { id: `${who}@test`, who, host: 'test', source: 'local' }, io, env), err };
  };

  it('GIVEN a driver taken over THEN a second claim names who drives, and the old driver may no longer change anything', async () => {
    const dana = new DriverRole(team().team, 'taken-1');
    const eve = new DriverRole(team({}, 'eve').team, 'taken-1');
    await dana.claim();
    await expect(eve.claim()).rejects.toThrow(/^dana@test drives incident taken-1 \(since \d\d:\d\d:\d\d UTC; driver lease until \d\d:\d\d:\d\d UTC\): only the driver appends decisions and steps$/);
    expect(await eve.claim('dana is asleep')).toEqual({ previous: 'dana@test' });
    await expect(dana.confirm()).rejects.toThrow('you no longer drive incident taken-1: it was taken over or handed over. Nothing was changed');
    await eve.confirm();
    await Promise.all([dana.release(), eve.release()]);
  });

  it("GIVEN the reply to a lease's, an alarm claim's or an approval's put is lost THEN the SDK's retry finds our own write: taken, claimed, recorded — not someone else's", async () => {
    const proxy = await startFaultProxy({ port: Number(new URL(local.endpoint).port) });
    try {
      const store = dynamoTeamStore({ client: localClient(proxy.url('http'), { maxAttempts: 2 }), sdk: dynamoSdk, region: 'ap-northeast-1' }, TABLE);
      const now = Date.now();
      proxy.resetAfter(/PutItem/, 1);
      const lease = { resource: 'ecs:lost/reply', name: 'reply', holder: 'dana@test', incident: 'lost-1', step: 1, action: 'ecs.scale', since: new Date(now).toISOString(), until: now + 60_000, token: 'dana-token' };
      expect(await store.acquireLease(lease, now)).toEqual({ taken: true });
      expect(proxy.matched()).toBe(1);
      proxy.resetAfter(/PutItem/, 1);
      expect(await store.claimAlarm('lost-reply-transition', '{}', now + 60_000)).toBe(true);
      // A second claim of the same transition (another delivery) is a duplicate all the same.
      expect(await store.claimAlarm('lost-reply-transition', '{}', now + 60_000)).toBe(false);
      const approval = { incident: 'lost-1', step: 1, action: 'redis.purge', by: 'eve@test', at: new Date(now).toISOString(), key: 'k', requestedBy: 'dana@test' };
      proxy.resetAfter(/PutItem/, 1);
      expect(await store.putApproval(approval)).toBe(true);
      // Approving the same step again later: already approved.
      expect(await store.putApproval({ ...approval, at: new Date(now + 1000).toISOString() })).toBe(false);
    } finally {
      await proxy.close();
    }
  });

  it('GIVEN a record already in its slot THEN a retry finds it there (no duplicate) and another writer finds the slot taken', async () => {
    const { team: t } = team();
    const line = JSON.stringify({ at: '2026-01-01T00:00:00.000Z', incident: 'retry-1', type: 'resume', who: 'dana', host: 'test' });
    expect(await t.store.putEvent('retry-1', 1, line, 'dana@test')).toBe('written');
    expect(await t.store.putEvent('retry-1', 1, line, 'dana@test')).toBe('same');
    expect(await t.store.putEvent('retry-1', 1, line.replace('dana', 'eve'), 'eve@test')).toBe('conflict');
    // A batch over a taken slot writes nothing at all: the transaction is all or nothing.
    expect(await t.store.putEvents('retry-1', [{ seq: 2, record: line }, { seq: 1, record: line }], 'dana@test')).toBe(false);
    expect((await t.store.events('retry-1')).map((e) => e.seq)).toEqual([1]);
  });

  it('GIVEN a journal synced twice THEN the second sync uploads nothing; a journal that went another way is refused, naming the record', async () => {
    const { team: t } = team();
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-sync-'));
    const file = join(dir, 'twice.jsonl');
    const lines = [1, 2, 3].map((i) => JSON.stringify({ at: `2026-01-01T00:00:0${i}.000Z`, incident: 'twice', type: 'resume', who: `w${i}`, host: 'test' }));
    writeFileSync(file, lines.join('\n') + '\n');
    expect(await new IncidentSync(t, 'twice', file).reconcile({ download: false })).toEqual({ uploaded: 3, downloaded: 0, remote: 3 });
    expect(await new IncidentSync(t, 'twice', file).reconcile({ download: false })).toEqual({ uploaded: 0, downloaded: 0, remote: 3 });
    writeFileSync(file, [lines[0], lines[2], lines[1]].join('\n') + '\n');
    await expect(new IncidentSync(t, 'twice', file).reconcile({ download: false })).rejects.toThrow('record 2 of your journal');
  });

  it('GIVEN an alarm pre-diagnosed by on-alarm on one machine THEN another lists the incident from the table, and a redelivery elsewhere is known as a duplicate', async () => {
    const fixture = join(import.meta.dirname, '..', 'fixtures', 'alarms', 'eventbridge-first-token-alarm.json');
    // CloudWatch and Logs answer nothing useful here: the walk stops at its first question, which is all this test needs.
    const env = { AWS_ENDPOINT_URL_CLOUDWATCH: aws.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: aws.endpoint, MANGAOPS_REDIS_URL: 'redis://127.0.0.1:1' };
    const oncall = engineer('oncall', base);
    const first = await oncall.run(['on-alarm', '--event', fixture, '--json', '--probe-timeout', '1500'], env);
    expect(first.code, first.stderr).toBe(0);
    const [handled] = (JSON.parse(first.stdout) as { handled: { status: string; incident: string }[] }).handled;
    expect(handled).toMatchObject({ status: 'pre-diagnosed' });
    const listed = await engineer('bob', base).run(['incidents', '--json']);
    expect((JSON.parse(listed.stdout) as { incident: string }[]).map((i) => i.incident)).toContain(handled!.incident);
    const again = await engineer('lambda2', base).run(['on-alarm', '--event', fixture], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`already pre-diagnosed (a duplicate delivery; the team table ${TABLE})`);
  });
});
