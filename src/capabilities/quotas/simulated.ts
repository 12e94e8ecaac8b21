// The simulated Service Quotas port: requests stay PENDING, as real ones do for hours.
import type { SimPlatform } from '../platform.js';
import type { QuotasPort } from './port.js';

const copy = <T>(v: T): T => structuredClone(v);

export function simulatedQuotas(p: SimPlatform): QuotasPort {
  return {
    async getQuota(serviceCode, quotaCode) {
      const q = p.quotas.find((x) => x.serviceCode === serviceCode && x.quotaCode === quotaCode);
      return q && copy(q);
    },
    async listOpenRequests() {
      return copy(p.requests.filter((r) => r.status === 'PENDING' || r.status === 'CASE_OPENED'));
    },
    async requestIncrease(serviceCode, quotaCode, desiredValue) {
      const r = { id: `sim-request-${++p.seq}`, status: 'PENDING', desiredValue, created: new Date(0).toISOString() };
      p.requests.push(r);
      p.mutations.push(`ServiceQuotas RequestServiceQuotaIncrease ${serviceCode}/${quotaCode} ${desiredValue}`);
      return copy(r);
    },
    async getRequest(id) {
      const r = p.requests.find((x) => x.id === id);
      return r && copy(r);
    },
  };
}
