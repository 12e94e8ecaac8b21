// The simulated OpenSearch Serverless port. Raising a group's minimum brings its current
// search capacity up to it at the next read, as the service would over a few minutes.
import type { SimPlatform } from '../platform.js';
import type { AossPort } from './port.js';

const copy = <T>(v: T): T => structuredClone(v);

export function simulatedAoss(p: SimPlatform): AossPort {
  let searches = 0;
  return {
    async getCollection(name) {
      const c = p.collections.find((x) => x.name === name);
      return c && copy(c);
    },
    async getCollectionGroup(name) {
      const g = p.groups.find((x) => x.name === name);
      if (!g) return undefined;
      const min = g.capacityLimits.minSearchCapacityInOCU;
      if (min !== undefined && (g.currentSearchOCU ?? 0) < min) g.currentSearchOCU = min;
      return copy(g);
    },
    async updateCollectionGroup(id, capacityLimits) {
      const g = p.groups.find((x) => x.id === id);
      if (!g) throw Object.assign(new Error(`collection group ${id} not found`), { name: 'ResourceNotFoundException' });
      p.mutations.push(`OpenSearchServerless UpdateCollectionGroup ${id} ${JSON.stringify(capacityLimits)}`);
      g.capacityLimits = { ...capacityLimits };
      return copy(g);
    },
    async getAccountSettings() {
      return copy(p.account);
    },
    async updateAccountSettings(capacityLimits) {
      p.mutations.push(`OpenSearchServerless UpdateAccountSettings ${JSON.stringify(capacityLimits)}`);
      p.account = { ...capacityLimits };
      return copy(p.account);
    },
    async search() {
      searches++;
      return { ms: 40 + (searches % 7) * 5, took: 30, hits: 10 };
    },
  };
}
