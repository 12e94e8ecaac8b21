// ecs.exec on aws-sdk-client-mock with a recording session-manager-plugin: ListTasks and
// DescribeTasks, then per task ExecuteCommand (interactive, as ECS requires) and a plugin
// session on ecs:<cluster>_<task>_<runtimeId>, a bounded number at a time; per-task results.
// Without the plugin the plan says so and lists the commands to run by hand.
import { DescribeTasksCommand, ExecuteCommandCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { afterEach, describe, expect, it } from 'vitest';
import { ecsExec } from '../../../../src/capabilities/ecs/actions/exec.js';
import { PartialApplyError } from '../../../../src/capabilities/action.js';
import { mockAws, recordingPlugin, TASKS, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext } from '../../../helpers/run-context.js';

const params = { cluster: 'mangaassist-prod', service: 'orchestrator', container: 'orchestrator', command: '/app/scripts/warm_connections.sh', concurrency: 2 };

let aws: MockedAws;
afterEach(() => aws.restore());

function sessions() {
  aws.ecs.on(ExecuteCommandCommand).callsFake((input: { task: string; container: string }) => ({
    clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/mangaassist-prod',
    taskArn: input.task,
    containerName: input.container,
    interactive: true,
    session: { sessionId: `s-${input.task}`, streamUrl: 'wss://ssmmessages', tokenValue: 't' },
  }));
}

describe('ecs.exec', () => {
  it('plans over the running tasks: ListTasks (RUNNING) then DescribeTasks, one pasteable command per task', async () => {
    aws = await mockAws();
    const plan = await ecsExec.plan(params, fakeActionContext(aws.ports));
    expect(aws.ecs.commandCalls(ListTasksCommand)[0]!.args[0].input).toEqual({ cluster: 'mangaassist-prod', serviceName: 'orchestrator', desiredStatus: 'RUNNING', maxResults: 100 });
    expect(aws.ecs.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({ cluster: 'mangaassist-prod', tasks: TASKS });
    expect(plan.blocked).toBeUndefined();
    expect(plan.cli).toEqual(TASKS.map((t) => `aws ecs execute-command --cluster mangaassist-prod --task ${t.split('/').pop()} --container orchestrator --command /app/scripts/warm_connections.sh --interactive`));
    expect(plan.undo).toBeUndefined();
  });

  it('GIVEN no session-manager-plugin THEN the plan cannot apply, says so plainly, and still lists the per-task commands', async () => {
    aws = await mockAws({ plugin: recordingPlugin({ available: false }) });
    const plan = await ecsExec.plan(params, fakeActionContext(aws.ports));
    expect(plan.blocked).toMatch(/^session-manager-plugin is not on PATH: install it \(https:\/\/docs\.aws\.amazon\.com\/.*\), or run the 4 command\(s\) under "Or by hand" yourself$/);
    expect(plan.cli).toHaveLength(4);
  });

  it('runs ExecuteCommand and a plugin session per task, at most `concurrency` at once, with progress', async () => {
    const plugin = recordingPlugin({ delay: () => new Promise((r) => setTimeout(r, 20)) });
    aws = await mockAws({ plugin });
    sessions();
    const ctx = fakeActionContext(aws.ports);
    const result = await ecsExec.apply(await ecsExec.plan(params, ctx), ctx);
    expect(aws.ecs.commandCalls(ExecuteCommandCommand).map((c) => c.args[0].input)).toEqual(
      TASKS.map((task) => ({ cluster: 'mangaassist-prod', task: task.split('/').pop(), container: 'orchestrator', command: '/app/scripts/warm_connections.sh', interactive: true })),
    );
    expect(plugin.runs.map((r) => r.target).sort()).toEqual(['task1', 'task2', 'task3', 'task4'].map((t) => `ecs:mangaassist-prod_${t}_${t}-0123456789`));
    expect(plugin.maxActive()).toBe(2);
    expect(result.changed).toEqual(['task1', 'task2', 'task3', 'task4'].map((t) => `${t}: ok — warmed 5 connections`));
    expect(ctx.lines.at(-1)).toMatch(/^4\/4 task\(s\) done — task\d: ok$/);
  });

  it('GIVEN one task fails THEN the others still run, and the failure says which task did and did not', async () => {
    aws = await mockAws({ plugin: recordingPlugin({ exitCodes: { task3: 1 } }) });
    sessions();
    const ctx = fakeActionContext(aws.ports);
    const error = await ecsExec.apply(await ecsExec.plan(params, ctx), ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PartialApplyError);
    expect((error as PartialApplyError).changed).toHaveLength(3);
    expect((error as PartialApplyError).unchanged).toEqual(['task3: exit 1 — pool warm-up failed']);
  });

  it('a task without ECS Exec is reported, not attempted', async () => {
    aws = await mockAws();
    sessions();
    aws.ecs.on(DescribeTasksCommand).resolves({
      tasks: TASKS.map((taskArn, i) => ({ taskArn, lastStatus: 'RUNNING', enableExecuteCommand: i !== 0, containers: [{ name: 'orchestrator', runtimeId: `r${i}`, managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] }] })),
    });
    const ctx = fakeActionContext(aws.ports);
    const plan = await ecsExec.plan(params, ctx);
    expect(plan.notes).toContain('Task task1: ECS Exec not enabled on this task — it will be reported as not run.');
    const error = (await ecsExec.apply(plan, ctx).catch((e: unknown) => e)) as PartialApplyError;
    expect(error.unchanged).toEqual(['task1: not run (ECS Exec not enabled on this task)']);
    expect(aws.ecs.commandCalls(ExecuteCommandCommand)).toHaveLength(3);
  });

  it('no running task: nothing to do, and the plan says so', async () => {
    aws = await mockAws();
    aws.ecs.on(ListTasksCommand).resolves({ taskArns: [] });
    expect((await ecsExec.plan(params, fakeActionContext(aws.ports))).blocked).toBe('orchestrator has no running tasks');
  });
});
