// quota.request: Service Quotas RequestServiceQuotaIncrease (the seed's "request a Bedrock
// quota increase for Sonnet"); reports the request id and says plainly that approval is
// manual and will not arrive during the incident. No undo: a request cannot be withdrawn
// through the API.
import { z } from 'zod';
import { UsageError } from '../../../core/errors.js';
import { sh } from '../../../core/shell.js';
import { defineAction } from '../../action.js';
import { str } from '../../iam.js';
import { name } from '../../params.js';
import { waitUntil } from '../../wait.js';

const MANUAL = 'Approval is manual (AWS reviews the request, often through a support case) and will not arrive during this incident: mitigate now with routing or capacity, not with the quota.';

export const quotaRequest = defineAction({
  name: 'quota.request',
  describe: 'Service Quotas RequestServiceQuotaIncrease; reports the request id (approval is manual, hours to days)',
  params: z.strictObject({ serviceCode: name, quotaCode: name, desiredValue: z.coerce.number().positive() }),
  defaults: { serviceCode: 'bedrock', quotaCode: '${bedrock.sonnetQuotaCode}' },
  async plan(p, ctx) {
    const quotas = await ctx.ports.quotas();
    const q = await quotas.getQuota(p.serviceCode, p.quotaCode);
    if (!q) throw new UsageError(`no quota ${p.quotaCode} for service ${p.serviceCode} in this region`, 'aws service-quotas list-service-quotas --service-code bedrock lists the codes (config bedrock.sonnetQuotaCode)');
    const open = await quotas.listOpenRequests(p.serviceCode, p.quotaCode);
    const name = q.name ? `${q.name} (${p.quotaCode})` : p.quotaCode;
    let blocked: string | undefined;
    if (q.adjustable === false) blocked = `${name} is not adjustable through Service Quotas: open a support case instead`;
    else if (open.length) blocked = `a request for ${p.quotaCode} is already open: ${open[0]!.id} (${open[0]!.status}, asking ${open[0]!.desiredValue ?? '?'}); AWS takes one at a time`;
    else if (q.value !== undefined && p.desiredValue <= q.value) blocked = `the quota is already ${q.value}: ask for more than that`;
    return {
      action: 'quota.request',
      params: p,
      summary: `Request ${name} ${q.value ?? '?'} → ${p.desiredValue}`,
      changes: [{ what: name, from: String(q.value ?? '?'), to: `${p.desiredValue} (requested)` }],
      calls: [`Service Quotas RequestServiceQuotaIncrease ServiceCode=${p.serviceCode} QuotaCode=${p.quotaCode} DesiredValue=${p.desiredValue}`],
      cli: [`aws service-quotas request-service-quota-increase --service-code ${sh(p.serviceCode)} --quota-code ${sh(p.quotaCode)} --desired-value ${p.desiredValue}`],
      notes: [MANUAL, 'No undo: a request cannot be withdrawn through the API (ask AWS Support to close the case).'],
      blocked,
      before: { value: q.value, unit: q.unit, openRequests: open.map((r) => r.id) },
      check: `aws service-quotas list-requested-service-quota-change-history-by-quota --service-code ${sh(p.serviceCode)} --quota-code ${sh(p.quotaCode)}`,
    };
  },
  resource: (plan) => ({ key: `quota:${plan.params.serviceCode}/${plan.params.quotaCode}`, name: `quota ${plan.params.quotaCode}` }),
  iamWrites(params, iam) {
    // Plan reads the quota and its open requests; verify reads the request back.
    iam.allow('ServiceQuotaRequests', ['servicequotas:GetRequestedServiceQuotaChange', 'servicequotas:ListRequestedServiceQuotaChangeHistoryByQuota'], ['*']);
    iam.allow('ServiceQuotaIncrease', ['servicequotas:GetServiceQuota', 'servicequotas:RequestServiceQuotaIncrease'], [iam.arn.quota(str(params, 'serviceCode'), str(params, 'quotaCode'))]);
  },
  async apply(plan, ctx) {
    const p = plan.params;
    const r = await (await ctx.ports.quotas()).requestIncrease(p.serviceCode, p.quotaCode, p.desiredValue);
    return {
      calls: plan.calls,
      changed: [`request ${r.id} opened (${r.status}${r.caseId ? `, support case ${r.caseId}` : ''})`],
      detail: { requestId: r.id, status: r.status, caseId: r.caseId },
    };
  },
  // A request that landed is an open request for this quota that was not open when planned.
  async reread(plan, ctx) {
    const p = plan.params;
    const open = await (await ctx.ports.quotas()).listOpenRequests(p.serviceCode, p.quotaCode);
    const mine = open.find((r) => !plan.before.openRequests.includes(r.id) && r.desiredValue === p.desiredValue);
    const observed = open.length ? `open requests: ${open.map((r) => `${r.id} (${r.status}, asking ${r.desiredValue ?? '?'})`).join(', ')}` : 'no open request';
    if (mine) return { state: 'applied', observed, changed: [`request ${mine.id} opened (${mine.status})`], unchanged: [], detail: { requestId: mine.id, status: mine.status, caseId: mine.caseId } };
    return { state: 'not applied', observed, changed: [], unchanged: [`no request for ${p.quotaCode} was opened`] };
  },
  async verify(_plan, ctx, applied) {
    const id = applied?.detail?.requestId ?? '';
    const quotas = await ctx.ports.quotas();
    // Took when AWS has the request on record; approval itself is not waited for.
    const status = await waitUntil(ctx, `quota request ${id}`, async () => {
      const r = await quotas.getRequest(id);
      return { done: Boolean(r), status: r ? `request ${id} is ${r.status}` : `request ${id} not visible yet` };
    }, 2000);
    return `${status}; approval is manual and will not arrive during this incident`;
  },
});
