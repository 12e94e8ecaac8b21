// The plan as the engineer reads it: what changes from what to what, the API calls, the
// command to paste, the undo, the notes, a refusal — readable at 80 columns, the same words
// with colour and without, and commands that still paste after they are broken.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aossCapacity } from '../../src/capabilities/aoss/actions/capacity.js';
import { ecsExec } from '../../src/capabilities/ecs/actions/exec.js';
import { ecsRestart } from '../../src/capabilities/ecs/actions/restart.js';
import { ecsScale } from '../../src/capabilities/ecs/actions/scale.js';
import { ecsSetEnv } from '../../src/capabilities/ecs/actions/set-env.js';
import { quotaRequest } from '../../src/capabilities/quotas/actions/request.js';
import type { Plan } from '../../src/capabilities/action.js';
import { breakCommand, renderPlan } from '../../src/ui/plan-view.js';
import { mockAws, type MockedAws } from '../helpers/aws-mocks.js';
import { fakeActionContext } from '../helpers/run-context.js';

// eslint-disable-next-line no-control-regex
const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

let aws: MockedAws;
let plans: Plan[];
beforeEach(async () => {
  aws = await mockAws();
  const ctx = fakeActionContext(aws.ports);
  const ecs = { cluster: 'mangaassist-prod', service: 'orchestrator' };
  plans = [
    await ecsScale.plan({ ...ecs, desiredCount: 8 }, ctx),
    await ecsSetEnv.plan({ ...ecs, container: 'orchestrator', env: { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } }, ctx),
    await ecsRestart.plan(ecs, ctx),
    await ecsExec.plan({ ...ecs, container: 'orchestrator', command: '/app/scripts/warm_connections.sh', concurrency: 5 }, ctx),
    await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 6 }, ctx),
    await quotaRequest.plan({ serviceCode: 'bedrock', quotaCode: 'L-F4DDD3EB', desiredValue: 400000 }, ctx),
  ];
});
afterEach(() => aws.restore());

describe('renderPlan', () => {
  it('fits 80 columns for every ECS, capacity and quota plan', () => {
    for (const plan of plans) {
      const text = renderPlan(plan, { color: false, columns: 80, force: false, step: 3, incident: '20261127-201502-first-token-a1b2' });
      const long = text.split('\n').filter((l) => l.length > 80);
      expect(long, plan.action).toEqual([]);
    }
  });

  it('reads the same with colour: only escape codes are added', () => {
    for (const plan of plans) {
      const plain = renderPlan(plan, { color: false, columns: 80, force: false });
      const coloured = renderPlan(plan, { color: true, columns: 80, force: false });
      expect(coloured).not.toBe(plain);
      expect(strip(coloured)).toBe(plain);
    }
  });

  it('shows each part: the change from → to, the exact call, the command to paste, the undo with its command, the notes', () => {
    const text = renderPlan(plans[0]!, { color: false, columns: 80, force: false, step: 3, incident: 'INC' });
    expect(text).toBe(
      [
        '',
        '▶ ecs.scale  Scale orchestrator from 4 to 8 task(s)',
        '  Changes',
        '    orchestrator desiredCount  4 → 8',
        '  API calls',
        '    ECS UpdateService cluster=mangaassist-prod service=orchestrator',
        '      desiredCount=8',
        '  Or by hand',
        '    aws ecs update-service --cluster mangaassist-prod --service orchestrator \\',
        '        --desired-count 8',
        '  Undo',
        '    scale orchestrator back to 4 task(s)',
        '    once applied: mangaops undo INC 3',
        '  Notes',
        '    • An Application Auto Scaling policy on this service may move the count',
        '      again.',
        '',
      ].join('\n'),
    );
  });

  it('a refusal says what overrides it; with --force it says it was allowed', () => {
    const refused = { ...plans[0]!, refusal: '20 is more than the cap of 8' };
    expect(renderPlan(refused, { color: false, columns: 80, force: false })).toContain('✗ Refused: 20 is more than the cap of 8\n    pass --force to do it anyway');
    expect(renderPlan(refused, { color: false, columns: 80, force: true })).toContain('! Refused by default, allowed by --force: 20 is more than the cap of 8');
    expect(renderPlan({ ...plans[0]!, blocked: 'no running tasks' }, { color: false, columns: 80, force: true })).toContain('✗ Cannot apply: no running tasks');
  });

  it('says when there is no undo', () => {
    expect(renderPlan(plans[2]!, { color: false, columns: 80, force: false })).toContain('  Undo\n    none: this cannot be undone by mangaops\n');
  });
});

describe('breakCommand', () => {
  it('breaks before flags, never inside quotes, and the pieces join back to the command', () => {
    const cmd = "aws ecs execute-command --cluster mangaassist-prod --task 0123456789abcdef --container orchestrator --command '/app/x.sh --fast --now' --interactive";
    const broken = breakCommand(cmd, 60, '  ');
    for (const line of broken.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    expect(broken).toContain("--command '/app/x.sh --fast --now'");
    const rejoined = broken
      .split(' \\\n')
      .map((l) => l.trim())
      .join(' ');
    expect(rejoined).toBe(cmd);
  });
});
