// A write whose reply is lost, on the real SDK clients under aws-sdk-client-mock: the call did
// happen (the mock records it and changes what the reads return) but the client sees a reset
// connection, a timeout or a 5xx. THEN the runner re-reads with the plan's own read and the
// journal says what is true — applied with its undo, partly applied, or not applied; a refusal
// (throttling) is still journaled as not changed, without a re-read.
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { BatchGetCollectionGroupCommand, UpdateCollectionGroupCommand } from '@aws-sdk/client-opensearchserverless';
import { GetRequestedServiceQuotaChangeCommand, ListRequestedServiceQuotaChangeHistoryByQuotaCommand, RequestServiceQuotaIncreaseCommand } from '@aws-sdk/client-service-quotas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockAws, service, taskDefinition, TD12, TD13, type MockedAws } from '../helpers/aws-mocks.js';
import { runAct } from './fault-world.js';

/** What the SDK throws when the connection is reset after its retries: the request may have run. */
const reset = () => Object.assign(new Error('read ECONNRESET'), { name: 'TimeoutError', code: 'ECONNRESET', $metadata: { attempts: 3 } });
/** A 5xx from the service itself. */
const serverError = () => Object.assign(new Error('Internal error'), { name: 'ServerException', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 1 } });

let aws: MockedAws;
beforeEach(async () => {
  aws = await mockAws();
});
afterEach(() => aws.restore());

/** ECS that really does what it is asked, whatever the client hears back. */
function ecsThatApplies(options: { lose: 'RegisterTaskDefinition' | 'UpdateService' | 'none'; updates?: boolean }) {
  const state = { registered: false, taskDefinition: TD12, desiredCount: 4 };
  aws.ecs.on(DescribeServicesCommand).callsFake(() => ({ services: [service({ taskDefinition: state.taskDefinition, desiredCount: state.desiredCount })] }));
  aws.ecs.on(DescribeTaskDefinitionCommand).callsFake((input: { taskDefinition: string }) => {
    const latest = input.taskDefinition === 'orchestrator' ? (state.registered ? TD13 : TD12) : input.taskDefinition;
    const env = latest === TD13 ? { BEDROCK_POOL_SIZE: '10', BEDROCK_KEEPALIVE_INTERVAL: '15' } : undefined;
    return { taskDefinition: taskDefinition(latest, env), tags: [] };
  });
  aws.ecs.on(RegisterTaskDefinitionCommand).callsFake(() => {
    state.registered = true;
    if (options.lose === 'RegisterTaskDefinition') throw reset();
    return { taskDefinition: { taskDefinitionArn: TD13, revision: 13 } };
  });
  aws.ecs.on(UpdateServiceCommand).callsFake((input: { taskDefinition?: string; desiredCount?: number }) => {
    if (options.updates !== false) {
      if (input.taskDefinition) state.taskDefinition = input.taskDefinition;
      if (input.desiredCount !== undefined) state.desiredCount = input.desiredCount;
    }
    if (options.lose === 'UpdateService') throw options.updates === false ? reset() : serverError();
    return { service: service({ taskDefinition: state.taskDefinition, desiredCount: state.desiredCount }) };
  });
  return state;
}

const SET_ENV = ['--env', 'BEDROCK_POOL_SIZE=10', '--env', 'BEDROCK_KEEPALIVE_INTERVAL=15'];

describe('ECS', () => {
  it('GIVEN the RegisterTaskDefinition reply is lost THEN the re-read finds the new revision registered but not in use: "partly applied", not "no new revision registered"', async () => {
    ecsThatApplies({ lose: 'RegisterTaskDefinition' });
    const run = await runAct('ecs.set-env', SET_ENV, aws.ports);
    expect(run.code).toBe(1);
    const failed = run.steps.at(-1)!;
    expect(failed.error).toMatch(/^RegisterTaskDefinition failed: read ECONNRESET; re-read: partly applied \(orchestrator on orchestrator:12; latest revision orchestrator:13\)$/);
    expect(failed.changed).toEqual(['registered orchestrator:13 (not in use)']);
    expect(failed.unchanged).toEqual(['orchestrator still runs orchestrator:12']);
  });

  it('GIVEN UpdateService answers 500 after moving the service THEN the re-read says applied, the undo is kept and verify runs', async () => {
    ecsThatApplies({ lose: 'UpdateService' });
    const run = await runAct('ecs.set-env', SET_ENV, aws.ports);
    expect(run.code).toBe(0);
    const applied = run.steps.find((s) => s.status === 'applied')!;
    expect(applied).toMatchObject({
      changed: ['registered orchestrator:13', 'orchestrator orchestrator:12 → orchestrator:13'],
      undo: { action: 'ecs.set-task-definition', params: { taskDefinition: TD12 } },
      detail: { lostReply: { state: 'applied', reason: expect.stringContaining('UpdateService failed') } },
    });
    expect(run.steps.at(-1)!.status).toBe('verified');
  });

  it('GIVEN the UpdateService reply is lost and the service did not move THEN "not applied", saying what the re-read saw', async () => {
    ecsThatApplies({ lose: 'UpdateService', updates: false });
    const run = await runAct('ecs.scale', ['--desired-count', '6'], aws.ports);
    expect(run.code).toBe(1);
    expect(run.steps.at(-1)).toMatchObject({ status: 'failed', changed: [], unchanged: ['orchestrator desiredCount still 4'], error: expect.stringMatching(/re-read: nothing changed \(orchestrator desiredCount 4\)$/) });
  });

  it('GIVEN a refusal (throttling) THEN "not changed", and no re-read is made', async () => {
    ecsThatApplies({ lose: 'none' });
    aws.ecs.on(UpdateServiceCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } }));
    const reads = () => aws.ecs.commandCalls(DescribeServicesCommand).length;
    const run = await runAct('ecs.scale', ['--desired-count', '6'], aws.ports);
    expect(run.steps.at(-1)).toMatchObject({ status: 'failed', changed: [], unchanged: ['orchestrator desiredCount'] });
    expect((run.out + run.err)).not.toContain('re-reading');
    expect(reads()).toBe(1);
  });
});

describe('OpenSearch Serverless and Service Quotas', () => {
  it('GIVEN the UpdateCollectionGroup reply is lost after the limits changed THEN applied, with the undo to min 2', async () => {
    let min = 2;
    aws.aoss.on(BatchGetCollectionGroupCommand).callsFake(() => ({
      collectionGroupDetails: [{ id: 'cg0manga', name: 'manga-group', capacityLimits: { minSearchCapacityInOCU: min, maxSearchCapacityInOCU: 10, minIndexingCapacityInOCU: 2, maxIndexingCapacityInOCU: 8 }, currentCapacity: { search: { capacityInOcu: min } } }],
    }));
    aws.aoss.on(UpdateCollectionGroupCommand).callsFake(() => {
      min = 6;
      throw reset();
    });
    const run = await runAct('aoss.capacity', ['--min-search-ocu', '6'], aws.ports);
    expect(run.code).toBe(0);
    expect(run.steps.find((s) => s.status === 'applied')).toMatchObject({ undo: { action: 'aoss.capacity', params: { minSearchOCU: 2 } }, detail: { lostReply: { state: 'applied' } } });
  });

  it('GIVEN the RequestServiceQuotaIncrease reply is lost after the request was opened THEN applied, with the request id the re-read found', async () => {
    let opened = false;
    aws.quotas.on(ListRequestedServiceQuotaChangeHistoryByQuotaCommand).callsFake(() => ({ RequestedQuotas: opened ? [{ Id: 'req-0456', Status: 'PENDING', DesiredValue: 400000 }] : [] }));
    aws.quotas.on(RequestServiceQuotaIncreaseCommand).callsFake(() => {
      opened = true;
      throw reset();
    });
    aws.quotas.on(GetRequestedServiceQuotaChangeCommand).resolves({ RequestedQuota: { Id: 'req-0456', Status: 'PENDING' } });
    const run = await runAct('quota.request', ['--desired-value', '400000'], aws.ports);
    expect(run.code).toBe(0);
    expect(run.steps.find((s) => s.status === 'applied')).toMatchObject({ changed: ['request req-0456 opened (PENDING)'], detail: { result: { requestId: 'req-0456' } } });
    expect(aws.quotas.commandCalls(RequestServiceQuotaIncreaseCommand)).toHaveLength(1);
  });
});
