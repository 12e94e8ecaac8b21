// quota.request on aws-sdk-client-mock over the real Service Quotas client: the request
// shape, the request id reported, and the plain statement that approval is manual.
import { GetRequestedServiceQuotaChangeCommand, GetServiceQuotaCommand, ListRequestedServiceQuotaChangeHistoryByQuotaCommand, RequestServiceQuotaIncreaseCommand } from '@aws-sdk/client-service-quotas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quotaRequest } from '../../../../src/capabilities/quotas/actions/request.js';
import { mockAws, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext } from '../../../helpers/run-context.js';

const params = { serviceCode: 'bedrock', quotaCode: 'L-F4DDD3EB', desiredValue: 400000 };

let aws: MockedAws;
beforeEach(async () => {
  aws = await mockAws();
});
afterEach(() => aws.restore());

describe('quota.request', () => {
  it('plans from the current value, says approval is manual and will not arrive during the incident, and has no undo', async () => {
    const plan = await quotaRequest.plan(params, fakeActionContext(aws.ports));
    expect(aws.quotas.commandCalls(GetServiceQuotaCommand)[0]!.args[0].input).toEqual({ ServiceCode: 'bedrock', QuotaCode: 'L-F4DDD3EB' });
    expect(aws.quotas.commandCalls(ListRequestedServiceQuotaChangeHistoryByQuotaCommand)[0]!.args[0].input).toMatchObject({ ServiceCode: 'bedrock', QuotaCode: 'L-F4DDD3EB' });
    expect(plan.changes).toEqual([{ what: 'Tokens per minute for Claude 3 Sonnet (L-F4DDD3EB)', from: '200000', to: '400000 (requested)' }]);
    expect(plan.notes[0]).toMatch(/^Approval is manual .* will not arrive during this incident/);
    expect(plan.cli).toEqual(['aws service-quotas request-service-quota-increase --service-code bedrock --quota-code L-F4DDD3EB --desired-value 400000']);
    expect(plan.undo).toBeUndefined();
  });

  it('applies RequestServiceQuotaIncrease and reports the request id; verify sees it on record', async () => {
    aws.quotas.on(RequestServiceQuotaIncreaseCommand).resolves({ RequestedQuota: { Id: 'req-0123', Status: 'PENDING', DesiredValue: 400000 } });
    aws.quotas.on(GetRequestedServiceQuotaChangeCommand).resolvesOnce({}).resolves({ RequestedQuota: { Id: 'req-0123', Status: 'CASE_OPENED', CaseId: 'case-9' } });
    const ctx = fakeActionContext(aws.ports);
    const plan = await quotaRequest.plan(params, ctx);
    const applied = await quotaRequest.apply(plan, ctx);
    expect(aws.quotas.commandCalls(RequestServiceQuotaIncreaseCommand).map((c) => c.args[0].input)).toEqual([{ ServiceCode: 'bedrock', QuotaCode: 'L-F4DDD3EB', DesiredValue: 400000 }]);
    expect(applied.changed).toEqual(['request req-0123 opened (PENDING)']);
    expect(await quotaRequest.verify!(plan, ctx, applied)).toBe('request req-0123 is CASE_OPENED; approval is manual and will not arrive during this incident');
    expect(aws.quotas.commandCalls(GetRequestedServiceQuotaChangeCommand)[0]!.args[0].input).toEqual({ RequestId: 'req-0123' });
  });

  it('cannot ask while a request is already open, nor for less than the current value, nor for a quota that is not adjustable', async () => {
    aws.quotas.on(ListRequestedServiceQuotaChangeHistoryByQuotaCommand).resolves({ RequestedQuotas: [{ Id: 'req-old', Status: 'CASE_OPENED', DesiredValue: 300000 }] });
    expect((await quotaRequest.plan(params, fakeActionContext(aws.ports))).blocked).toContain('already open: req-old (CASE_OPENED, asking 300000)');

    aws.quotas.on(ListRequestedServiceQuotaChangeHistoryByQuotaCommand).resolves({ RequestedQuotas: [] });
    expect((await quotaRequest.plan({ ...params, desiredValue: 100000 }, fakeActionContext(aws.ports))).blocked).toBe('the quota is already 200000: ask for more than that');

    aws.quotas.on(GetServiceQuotaCommand).resolves({ Quota: { QuotaName: 'Fixed', Value: 1, Adjustable: false } });
    expect((await quotaRequest.plan(params, fakeActionContext(aws.ports))).blocked).toContain('not adjustable through Service Quotas');
  });
});
