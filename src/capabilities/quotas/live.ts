// The live Service Quotas port.
import {
  GetRequestedServiceQuotaChangeCommand,
  GetServiceQuotaCommand,
  ListRequestedServiceQuotaChangeHistoryByQuotaCommand,
  RequestServiceQuotaIncreaseCommand,
  ServiceQuotasClient,
  type RequestedServiceQuotaChange,
} from '@aws-sdk/client-service-quotas';
import { waitingFor } from '../../core/deadline.js';
import type { Aws } from '../aws.js';
import type { QuotaRequest, QuotasPort } from './port.js';

const OPEN = new Set(['PENDING', 'CASE_OPENED']);

function toRequest(r: RequestedServiceQuotaChange | undefined): QuotaRequest {
  return { id: r?.Id ?? '', status: r?.Status ?? 'UNKNOWN', desiredValue: r?.DesiredValue, caseId: r?.CaseId, created: r?.Created?.toISOString() };
}

export function liveQuotas(client: ServiceQuotasClient): QuotasPort {
  return {
    async getQuota(serviceCode, quotaCode) {
      try {
        const out = await waitingFor('ServiceQuotas GetServiceQuota', (abortSignal) => client.send(new GetServiceQuotaCommand({ ServiceCode: serviceCode, QuotaCode: quotaCode }), { abortSignal }));
        const q = out.Quota;
        if (!q) return undefined;
        return { serviceCode, quotaCode, name: q.QuotaName, value: q.Value, unit: q.Unit, adjustable: q.Adjustable };
      } catch (e) {
        if ((e as Error).name === 'NoSuchResourceException') return undefined;
        throw e;
      }
    },
    async listOpenRequests(serviceCode, quotaCode) {
      const open: QuotaRequest[] = [];
      let NextToken: string | undefined;
      do {
        const input = { ServiceCode: serviceCode, QuotaCode: quotaCode, NextToken };
        const out = await waitingFor('ServiceQuotas ListRequestedServiceQuotaChangeHistoryByQuota', (abortSignal) => client.send(new ListRequestedServiceQuotaChangeHistoryByQuotaCommand(input), { abortSignal }));
        open.push(...(out.RequestedQuotas ?? []).filter((r) => OPEN.has(r.Status ?? '')).map(toRequest));
        NextToken = out.NextToken;
      } while (NextToken);
      return open;
    },
    async requestIncrease(serviceCode, quotaCode, desiredValue) {
      const input = { ServiceCode: serviceCode, QuotaCode: quotaCode, DesiredValue: desiredValue };
      const out = await waitingFor('ServiceQuotas RequestServiceQuotaIncrease', (abortSignal) => client.send(new RequestServiceQuotaIncreaseCommand(input), { abortSignal }));
      return toRequest(out.RequestedQuota);
    },
    async getRequest(id) {
      const out = await waitingFor('ServiceQuotas GetRequestedServiceQuotaChange', (abortSignal) => client.send(new GetRequestedServiceQuotaChangeCommand({ RequestId: id }), { abortSignal }));
      return out.RequestedQuota ? toRequest(out.RequestedQuota) : undefined;
    },
  };
}

export async function createLiveQuotas(aws: Aws): Promise<QuotasPort> {
  return liveQuotas((await aws.quotas()).client);
}
