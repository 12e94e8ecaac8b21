// mangaops undo <incident> [step]: the recorded undo, through the same runner, as a new step
// of the same incident. GIVEN a drill platform where ecs.set-env moved the service to
// orchestrator:13 WHEN undone THEN it runs orchestrator:12 again, and the journal says which
// step undid which.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeServicesCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { simulatedPorts } from '../../src/capabilities/adapters.js';
import { act } from '../../src/commands/act.js';
import { undo } from '../../src/commands/undo.js';
import { UsageError } from '../../src/core/errors.js';
import { listJournals, readJournal } from '../../src/journal/journal.js';
import type { StepRecord } from '../../src/journal/records.js';
import { mockAws, service, type MockedAws } from '../helpers/aws-mocks.js';
import { makeIo } from '../helpers/io.js';

function setup() {
  const state = mkdtempSync(join(tmpdir(), 'mangaops-undo-'));
  const t = makeIo({ env: { XDG_STATE_HOME: state } });
  const ports = simulatedPorts({});
  const deps = { ports, sleep: async () => {} };
  const incident = () => listJournals(t.io.env)[0]!;
  const steps = () => readJournal(incident().file).filter((r): r is StepRecord => r.type === 'step');
  return { t, ports, deps, incident, steps };
}

describe('mangaops undo', () => {
  it('GIVEN ecs.set-env applied WHEN undo <incident> THEN the service goes back to the previous revision, as step 2 marked undoOf 1', async () => {
    const { t, ports, deps, incident, steps } = setup();
    await act({ action: 'ecs.set-env', rest: ['--env', 'BEDROCK_POOL_SIZE=10'], yes: true }, t.io, deps);
    expect(ports.platform.services[0]!.taskDefinition).toMatch(/orchestrator:13$/);

    const code = await undo({ incident: incident().incident, yes: true }, t.io, deps);
    expect(code).toBe(0);
    expect(ports.platform.services[0]!.taskDefinition).toMatch(/orchestrator:12$/);
    expect(ports.platform.mutations.at(-1)).toMatch(/^ECS UpdateService mangaassist-prod\/orchestrator taskDefinition=arn:.*orchestrator:12$/);
    expect(t.out()).toContain('Undoing step 1 of');
    expect(t.out()).toContain('orchestrator BEDROCK_POOL_SIZE  10 → 5');
    const undone = steps().filter((s) => s.step === 2);
    expect(undone.map((s) => s.status)).toEqual(['planned', 'confirmed', 'applied', 'verified']);
    expect(undone[0]).toMatchObject({ action: 'ecs.set-task-definition', text: 'undo step 1: point orchestrator back to orchestrator:12', detail: { undoOf: 1 } });
  });

  it('does not offer the same undo twice, nor an undo to undo by default', async () => {
    const { t, deps, incident } = setup();
    await act({ action: 'ecs.scale', rest: ['--desired-count', '6'], yes: true }, t.io, deps);
    await undo({ incident: incident().incident, yes: true }, t.io, deps);
    await expect(undo({ incident: incident().incident, yes: true }, t.io, deps)).rejects.toThrow(`incident ${incident().incident} has no applied step left to undo`);
  });

  it('an explicit step must have been applied and have an undo', async () => {
    const { t, deps, incident } = setup();
    await act({ action: 'ecs.restart', rest: [], yes: true }, t.io, deps);
    const id = incident().incident;
    await expect(undo({ incident: id, step: '1', yes: true }, t.io, deps)).rejects.toThrow('step 1 (ecs.restart) has no undo');
    await act({ action: 'ecs.scale', rest: ['--desired-count', '6'], dryRun: true, journal: id }, t.io, deps);
    await expect(undo({ incident: id, step: '2', yes: true }, t.io, deps)).rejects.toThrow('step 2 (ecs.scale) was planned, not applied: there is nothing to undo');
    await expect(undo({ incident: id, step: '9', yes: true }, t.io, deps)).rejects.toThrow(UsageError);
  });

  it('--dry-run plans the undo and changes nothing', async () => {
    const { t, ports, deps, incident, steps } = setup();
    await act({ action: 'ecs.scale', rest: ['--desired-count', '6'], yes: true }, t.io, deps);
    const before = ports.platform.mutations.length;
    expect(await undo({ incident: incident().incident, dryRun: true }, t.io, deps)).toBe(0);
    expect(ports.platform.mutations).toHaveLength(before);
    expect(steps().filter((s) => s.step === 2).map((s) => s.status)).toEqual(['planned']);
    expect(t.out()).toContain('orchestrator desiredCount  6 → 4');
  });

  it('an unknown incident is a usage error', async () => {
    const { t, deps } = setup();
    await expect(undo({ incident: '20260101-000000-nope-0000' }, t.io, deps)).rejects.toThrow("no journal for incident '20260101-000000-nope-0000'");
  });
});

describe('mangaops undo on aws-sdk-client-mock', () => {
  let aws: MockedAws;
  afterEach(() => aws.restore());

  it('GIVEN a scale 4 → 8 applied WHEN undone THEN exactly one more UpdateService, back to the recorded 4', async () => {
    aws = await mockAws();
    let desired = 4;
    aws.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [service({ desiredCount: desired, runningCount: desired })] }));
    aws.ecs.on(UpdateServiceCommand).callsFake((input: { desiredCount: number }) => {
      desired = input.desiredCount;
      return { service: service({ desiredCount: desired }) };
    });
    const t = makeIo({ env: { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'mangaops-undo-')) } });
    const deps = { ports: aws.ports, sleep: async () => {} };
    await act({ action: 'ecs.scale', rest: ['--desired-count', '8'], yes: true }, t.io, deps);
    expect(await undo({ incident: listJournals(t.io.env)[0]!.incident, yes: true }, t.io, deps)).toBe(0);
    expect(aws.ecs.commandCalls(UpdateServiceCommand).map((c) => c.args[0].input.desiredCount)).toEqual([8, 4]);
    expect(t.out()).toContain('verified: Scale orchestrator from 8 to 4 task(s)');
  });
});
