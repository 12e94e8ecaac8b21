// mangaops act: flags read against the action's schema, defaults from the config, the
// catalogue listed, one incident journal per act, --json with only the result on stdout.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { getAction } from '../../src/capabilities/actions.js';
import { parseFlags } from '../../src/commands/act-flags.js';
import { simulatedPorts } from '../../src/capabilities/adapters.js';
import { act } from '../../src/commands/act.js';
import { NeedsHumanError, UsageError } from '../../src/core/errors.js';
import { listJournals, readJournal } from '../../src/journal/journal.js';
import { service } from '../helpers/aws-mocks.js';
import { makeIo } from '../helpers/io.js';
import type { Script } from '../helpers/scripted-prompter.js';

function setup(options: { interactive?: boolean; script?: Script } = {}) {
  const state = mkdtempSync(join(tmpdir(), 'mangaops-act-'));
  const t = makeIo({ env: { XDG_STATE_HOME: state }, interactive: options.interactive ?? false, script: options.script });
  const ports = simulatedPorts({});
  const deps = { ports, sleep: async () => {} };
  const journals = () => listJournals(t.io.env);
  return { t, ports, deps, journals };
}

describe('parseFlags', () => {
  it('takes kebab-case or camelCase, --flag value or --flag=value', () => {
    expect(parseFlags(getAction('ecs.scale'), ['--desired-count', '8'])).toEqual({ desiredCount: '8' });
    expect(parseFlags(getAction('ecs.scale'), ['--desiredCount=8', '--cluster', 'c'])).toEqual({ desiredCount: '8', cluster: 'c' });
    expect(parseFlags(getAction('aoss.capacity'), ['--min-search-ocu', '6'])).toEqual({ minSearchOCU: '6' });
  });

  it('reads records as repeated KEY=VALUE, lists as repeated values, scalars as numbers or booleans', () => {
    expect(parseFlags(getAction('ecs.set-env'), ['--env', 'BEDROCK_POOL_SIZE=10', '--env', 'BEDROCK_KEEPALIVE_INTERVAL=15'])).toEqual({ env: { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } });
    expect(parseFlags(getAction('aoss.prewarm'), ['--queries', 'one piece', '--queries', 'berserk'])).toEqual({ queries: ['one piece', 'berserk'] });
    expect(parseFlags(getAction('dynamodb.set-config'), ['--key', 'name=router', '--value', '0.6', '--from', '0.3'])).toEqual({ key: { name: 'router' }, value: 0.6, from: 0.3 });
  });

  it('refuses what it cannot read, saying what to pass', () => {
    const refusal = (rest: string[]) => {
      try {
        parseFlags(getAction('ecs.scale'), rest);
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('not refused');
    };
    expect(refusal(['--desired-cuont', '8']).message).toBe("ecs.scale: unknown parameter --desired-cuont (did you mean 'desired-count'?)");
    expect(refusal(['--desired-count']).message).toBe('ecs.scale: --desired-count needs a value');
    expect(refusal(['8']).message).toBe("ecs.scale: unexpected argument '8'");
    expect(refusal(['--desired-count', '8', '--desired-count', '9']).message).toBe('ecs.scale: --desired-count given twice');
    expect(refusal(['--x', '1']).hint).toBe('mangaops act ecs.scale --cluster <text> --service <text> --desired-count <n>');
    expect(() => parseFlags(getAction('ecs.set-env'), ['--env', 'BEDROCK_POOL_SIZE'])).toThrow("--env takes KEY=VALUE, got 'BEDROCK_POOL_SIZE'");
  });
});

describe('mangaops act <action>', () => {
  it('GIVEN only --desired-count 8 THEN cluster and service come from the config, and the scale is applied, verified and journaled as its own incident', async () => {
    const { t, ports, deps, journals } = setup();
    const code = await act({ action: 'ecs.scale', rest: ['--desired-count', '8'], yes: true }, t.io, deps);
    expect(code).toBe(0);
    expect(ports.platform.mutations).toEqual(['ECS UpdateService mangaassist-prod/orchestrator desiredCount=8']);
    const [journal] = journals();
    expect(journal!.incident).toMatch(/^\d{8}-\d{6}-act-ecs-scale-[0-9a-f]{4}$/);
    // The plan is the report, on stdout above the result: the result is its last lines.
    expect(t.out().split('\n').slice(-3)).toEqual(['verified: Scale orchestrator from 4 to 8 task(s)', `undo: mangaops undo ${journal!.incident} 1`, '']);
    const records = readJournal(journal!.file);
    expect(records.map((r) => (r.type === 'step' ? `step ${r.status}` : r.type))).toEqual(['start', 'step planned', 'step confirmed', 'step applied', 'step verified', 'end']);
    expect(records[0]).toMatchObject({ type: 'start', mode: 'act', runbook: 'ecs.scale' });
    expect(records.at(-1)).toMatchObject({ type: 'end', status: 'resolved' });
  });

  it('--dry-run shows the plan and changes nothing (exit 0)', async () => {
    const { t, ports, deps } = setup();
    expect(await act({ action: 'ecs.set-env', rest: ['--env', 'BEDROCK_POOL_SIZE=10'], dryRun: true }, t.io, deps)).toBe(0);
    expect(ports.platform.mutations).toEqual([]);
    expect(t.out()).toContain('BEDROCK_POOL_SIZE  5 → 10');
    expect(t.out()).toMatch(/^planned: Set BEDROCK_POOL_SIZE=10 on orchestrator\/orchestrator/m);
  });

  it('"no" at the prompt exits 1 with nothing changed', async () => {
    const { t, ports, deps } = setup({ interactive: true, script: { 'apply:ecs.restart': false } });
    expect(await act({ action: 'ecs.restart', rest: [] }, t.io, deps)).toBe(1);
    expect(ports.platform.mutations).toEqual([]);
    expect(t.out()).toMatch(/^declined: Restart orchestrator/m);
  });

  it('over the cap without --force: refused, exit 2, nothing changed', async () => {
    const { t, ports, deps } = setup();
    expect(await act({ action: 'ecs.scale', rest: ['--desired-count', '20'], yes: true }, t.io, deps)).toBe(2);
    expect(ports.platform.mutations).toEqual([]);
    expect(t.out()).toContain('✗ Refused: 20 is more than the cap of 8');
  });

  it('--json prints only the result object on stdout, and never prompts: without --yes it refuses even at a terminal', async () => {
    const { t, deps } = setup({ interactive: true });
    await expect(act({ action: 'ecs.scale', rest: ['--desired-count', '6'], json: true }, t.io, deps)).rejects.toBeInstanceOf(NeedsHumanError);
    expect(t.prompter.asked).toEqual([]);

    const ok = setup();
    expect(await act({ action: 'aoss.capacity', rest: ['--min-search-ocu', '6'], json: true, yes: true }, ok.t.io, ok.deps)).toBe(0);
    const result = JSON.parse(ok.t.out());
    expect(result).toMatchObject({
      step: 1,
      action: 'aoss.capacity',
      status: 'verified',
      changes: [{ what: 'manga-products-group minSearchCapacityInOCU', from: '2', to: '6' }],
      changed: ['manga-products-group minSearchCapacityInOCU 2 → 6'],
      undo: { action: 'aoss.capacity', params: { collection: 'manga-products', minSearchOCU: 2 }, command: `mangaops undo ${result.incident} 1` },
    });
  });

  it('names a bad parameter by its flag before any call', async () => {
    const { t, ports, deps, journals } = setup();
    await expect(act({ action: 'ecs.scale', rest: ['--desired-count', 'lots'], yes: true }, t.io, deps)).rejects.toThrow('ecs.scale: --desired-count: expected a number, got "lots"');
    await expect(act({ action: 'ecs.scale', rest: [], yes: true }, t.io, deps)).rejects.toThrow('ecs.scale: missing --desired-count');
    expect(ports.platform.mutations).toEqual([]);
    expect(journals()).toEqual([]);
  });

  it('an unknown action, or none, is a usage error that points at --list', async () => {
    const { t, deps } = setup();
    await expect(act({ action: 'ecs.scal', rest: [] }, t.io, deps)).rejects.toThrow("unknown action 'ecs.scal' (did you mean 'ecs.scale'?)");
    await expect(act({ rest: [] }, t.io, deps)).rejects.toMatchObject({ hint: 'mangaops act --list shows the catalogue' });
  });

  it('--journal <incident> continues that incident, numbering on', async () => {
    const { t, deps, journals } = setup();
    await act({ action: 'ecs.scale', rest: ['--desired-count', '6'], yes: true }, t.io, deps);
    const [first] = journals();
    await act({ action: 'ecs.restart', rest: [], yes: true, journal: first!.incident }, t.io, deps);
    const steps = readJournal(first!.file).filter((r) => r.type === 'step');
    expect([...new Set(steps.map((s) => (s.type === 'step' ? `${s.step} ${s.action}` : '')))]).toEqual(['1 ecs.scale', '2 ecs.restart']);
    expect(journals()).toHaveLength(1);
  });

  it('without injected ports, acts through the live ECS client (aws-sdk-client-mock on the real ECSClient)', async () => {
    const ecs = mockClient(ECSClient);
    try {
      let updated = false;
      ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [updated ? service({ desiredCount: 6, runningCount: 6 }) : service()] }));
      ecs.on(UpdateServiceCommand).callsFake(() => ((updated = true), { service: service({ desiredCount: 6 }) }));
      const { t } = setup();
      expect(await act({ action: 'ecs.scale', rest: ['--desired-count', '6'], yes: true, region: 'ap-northeast-1' }, t.io)).toBe(0);
      expect(ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input)).toEqual([{ cluster: 'mangaassist-prod', service: 'orchestrator', desiredCount: 6 }]);
    } finally {
      ecs.restore();
    }
  });
});

describe('mangaops act --list', () => {
  it('shows every action with its parameters, and the defaults the config gives', async () => {
    const { t } = setup();
    expect(await act({ list: true, rest: [] }, t.io)).toBe(0);
    const text = t.out();
    for (const name of ['ecs.scale', 'ecs.set-env', 'ecs.set-task-definition', 'ecs.restart', 'ecs.exec', 'aoss.capacity', 'aoss.prewarm', 'quota.request', 'redis.purge', 'redis.invalidate-stale', 'dynamodb.flip-version', 'dynamodb.set-config']) {
      expect(text).toContain(`${name}\n`);
    }
    expect(text).toMatch(/--cluster <text> +default "mangaassist-prod" \(\$\{ecs\.cluster\}\)/);
    expect(text).toMatch(/--desired-count <n> +required/);
    expect(text).toMatch(/--env <KEY=VALUE>… +required/);
    expect(text).toContain('--env BEDROCK_POOL_SIZE=10');
  });

  it('--json gives the same as data', async () => {
    const { t } = setup();
    await act({ list: true, json: true, rest: [] }, t.io);
    const rows = JSON.parse(t.out()) as { name: string; params: { name: string; flag: string; required: boolean; default?: unknown }[] }[];
    const scale = rows.find((r) => r.name === 'ecs.scale')!;
    expect(scale.params).toEqual([
      expect.objectContaining({ name: 'cluster', flag: '--cluster', required: false, default: 'mangaassist-prod', from: '${ecs.cluster}' }),
      expect.objectContaining({ name: 'service', flag: '--service', required: false, default: 'orchestrator' }),
      expect.objectContaining({ name: 'desiredCount', flag: '--desired-count', kind: 'number', required: true }),
    ]);
  });
});
