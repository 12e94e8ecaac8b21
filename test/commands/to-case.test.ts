// Incidents become tests: a live incident (the first-token alarm pre-diagnosed on mocked AWS,
// its open question answered on resume) → `journal to-case` → a case file that `validate`
// walks and `drill --case` replays → a runbook edit that would send the incident elsewhere
// fails validate, naming the case file and line.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig } from '../../src/core/config.js';
import { findRunbook } from '../../src/runbook/catalog.js';
import { cw, dynamo, ecs, logs, mockAws, now, worldOf } from '../helpers/aws-world.js';
import { makeIo } from '../helpers/io.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'mangaops-to-case-'));
const env = { XDG_STATE_HOME: join(work, 'state'), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
const cases = join(work, 'cases');
let incident = '';

async function run(argv: string[], readStdin?: () => Promise<string>) {
  const t = makeIo({ env, now, ...(readStdin && { readStdin }) });
  const code = await main(argv, t.io);
  return { code, out: t.out(), err: t.err() };
}

beforeAll(async () => {
  for (const m of [cw, ecs, dynamo, logs]) m.reset();
  const { runbook } = await findRunbook('first-token', await loadConfig({ env: {} }));
  mockAws(worldOf(runbook, runbook.drills.find((d) => d.name === 'cold-connections-no-ping-metric')!).world);
  const event = readFileSync(join(root, 'test', 'fixtures', 'alarms', 'sns-first-token-alarm.json'), 'utf8');
  const pre = await run(['on-alarm', '--event', '-', '--json'], async () => event);
  expect(pre.code, pre.err).toBe(0);
  incident = (JSON.parse(pre.out) as { handled: { incident: string }[] }).handled[0]!.incident;
  // The engineer answers the open question; the fixes are only planned (no --yes).
  const resumed = await run(['resume', incident, '--auto', '--dry-run', '--answer', 'check-pool=No - pings failing']);
  expect(resumed.code, resumed.err).toBe(0);
});

describe('GIVEN a live incident that reached its diagnosis with a human answer', () => {
  let file = '';

  it('WHEN to-case runs THEN the case file holds the evidence, the answer, the outcome and path it reached, and where it came from', async () => {
    const r = await run(['journal', 'to-case', incident, '--name', 'pool-pings-lost', '--cases-dir', cases]);
    expect(r.code, r.err).toBe(0);
    file = join(cases, 'first-token', 'pool-pings-lost.yaml');
    expect(r.out.replace(/\s+/g, ' ')).toContain("case 'pool-pings-lost' of first-token expects cold-connections along alarm → dashboard → which-intents → infra-issue → check-bedrock → check-pool → cold-connections (16 probes, 1 human answer)");
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(new RegExp(`^# From incident ${incident}\n# \\(diagnose, `));
    const c = parse(text) as { origin: Record<string, string>; evidence: Record<string, unknown>; answers: Record<string, string>; expect: string; path: string[] };
    expect(c.origin).toMatchObject({ incident, mode: 'diagnose', runbookSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(c.answers).toEqual({ 'check-pool': 'No - pings failing' });
    expect(c.expect).toBe('cold-connections');
    // The series CloudWatch returned, on one line; the missing metric as the no data it was.
    expect(c.evidence['keepalive-throttles']).toEqual([0, 20, 65, 80, 82, 85, 84, 86]);
    expect(c.evidence['pool-ping-failure-rate']).toEqual({ nodata: expect.stringMatching(/^no .*datapoints/) });
    expect(text).toContain('keepalive-throttles: [ 0, 20, 65, 80, 82, 85, 84, 86 ]');
  });

  it('GIVEN the incident was walked by an STS identity (a team table) THEN its account id is masked in the case file', async () => {
    const journal = join(env.XDG_STATE_HOME, 'mangaops', 'incidents', `${incident}.jsonl`);
    const copy = join(work, `${incident}-arn.jsonl`);
    const [first, ...rest] = readFileSync(journal, 'utf8').split('\n');
    const start = JSON.parse(first!) as { type: string; who: string };
    expect(start.type).toBe('start');
    writeFileSync(copy, [JSON.stringify({ ...start, who: 'arn:aws:sts::123456789012:assumed-role/oncall/alice' }), ...rest].join('\n'));
    // A folder of its own: the tests below count the cases in `cases`.
    const r = await run(['journal', 'to-case', copy, '--name', 'walked-by-arn', '--cases-dir', join(work, 'cases-arn')]);
    expect(r.code, r.err).toBe(0);
    const text = readFileSync(join(work, 'cases-arn', 'first-token', 'walked-by-arn.yaml'), 'utf8');
    expect(text).toContain('arn:aws:sts::<account-id>:assumed-role/oncall/alice');
    expect(text).not.toContain('123456789012');
  });

  it('THEN validate walks it beside the runbook\'s own cases, and drill --case replays it', async () => {
    const v = await run(['validate', join(root, 'runbooks', 'first-token.yaml'), '--cases-dir', cases]);
    expect(v.code, v.out).toBe(0);
    expect(v.out).toMatch(/first-token\.yaml: \d+ nodes, 14 drill cases reach their outcomes \(1 from incidents, in .*cases\/first-token\/\)/);
    const d = await run(['drill', 'first-token', '--case', 'pool-pings-lost', '--auto', '--cases-dir', cases]);
    expect(d.code, d.err).toBe(0);
    expect(d.out.replace(/\s+/g, ' ')).toContain('✓ reached the expected diagnosis: Root Cause A confirmed: Cold connections to Bedrock');
  });

  it('WHEN the runbook is changed so the incident would be diagnosed elsewhere THEN validate fails on the case file, at its line', async () => {
    const edited = join(work, 'edited');
    mkdirSync(edited, { recursive: true });
    copyFileSync(join(root, 'runbooks', 'first-token.yaml'), join(edited, 'first-token.yaml'));
    const text = readFileSync(join(edited, 'first-token.yaml'), 'utf8');
    writeFileSync(join(edited, 'first-token.yaml'), text.replace('check: { probe: bedrock-latency-haiku, op: ">", value: 1500 }', 'check: { probe: bedrock-latency-haiku, op: ">", value: 2500 }'));
    const v = await run(['validate', join(edited, 'first-token.yaml'), '--cases-dir', cases]);
    expect(v.code).toBe(1);
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('expect:')) + 1;
    const finding = v.out.split('\n').find((l) => l.includes('pool-pings-lost.yaml'));
    expect(finding).toMatch(new RegExp(`✗ .*cases/first-token/pool-pings-lost\\.yaml:(${line}|\\d+) (expect|name): case 'pool-pings-lost' (reaches '[a-z-]+', not 'cold-connections'|stops at)`));
  });

  it('WHEN the same name is asked for again THEN it refuses unless --force; an incident without a diagnosis is refused', async () => {
    const again = await run(['journal', 'to-case', incident, '--name', 'pool-pings-lost', '--cases-dir', cases]);
    expect(again.code).toBe(1);
    expect(again.err).toContain("already has a drill case named 'pool-pings-lost'");
    const inline = await run(['journal', 'to-case', incident, '--name', 'cold-connections', '--cases-dir', cases, '--force']);
    expect(inline.code).toBe(1);
  });

  it('WHEN --cases-dir is a folder that cannot be made (under /proc) THEN it says so at once, in one line', async () => {
    const r = await run(['journal', 'to-case', incident, '--name', 'nowhere', '--cases-dir', '/proc/mangaops-nowhere/cases']);
    expect(r.code).toBe(1);
    expect(r.err.split('\n')[0]).toBe('mangaops: cannot write the case to /proc/mangaops-nowhere/cases/first-token: ENOENT');
  });
});
