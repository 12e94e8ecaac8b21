// The live OpenSearch Serverless port: the control-plane SDK client for capacity, and the
// @opensearch-project/opensearch client with its SigV4 signer (service 'aoss') for searches.
import {
  BatchGetCollectionCommand,
  BatchGetCollectionGroupCommand,
  GetAccountSettingsCommand,
  OpenSearchServerlessClient,
  UpdateAccountSettingsCommand,
  UpdateCollectionGroupCommand,
  type CollectionGroupCapacityLimits,
} from '@aws-sdk/client-opensearchserverless';
import { commonJs } from '../../core/commonjs.js';
import { waitingFor } from '../../core/deadline.js';
import type { AccountCapacityLimits, AossCollectionGroup, AossPort, GroupCapacityLimits, SearchResult } from './port.js';
import type { Aws } from '../aws.js';

export type SearchFn = (endpoint: string, index: string, body: Record<string, unknown>) => Promise<SearchResult>;

function limitsOf(l: CollectionGroupCapacityLimits | undefined): GroupCapacityLimits {
  const out: GroupCapacityLimits = {};
  if (l?.minSearchCapacityInOCU !== undefined) out.minSearchCapacityInOCU = l.minSearchCapacityInOCU;
  if (l?.maxSearchCapacityInOCU !== undefined) out.maxSearchCapacityInOCU = l.maxSearchCapacityInOCU;
  if (l?.minIndexingCapacityInOCU !== undefined) out.minIndexingCapacityInOCU = l.minIndexingCapacityInOCU;
  if (l?.maxIndexingCapacityInOCU !== undefined) out.maxIndexingCapacityInOCU = l.maxIndexingCapacityInOCU;
  return out;
}

export function liveAoss(client: OpenSearchServerlessClient, search: SearchFn): AossPort {
  return {
    async getCollection(name) {
      const out = await waitingFor('OpenSearchServerless BatchGetCollection', (abortSignal) => client.send(new BatchGetCollectionCommand({ names: [name] }), { abortSignal }));
      const c = out.collectionDetails?.find((d) => d.name === name);
      if (!c) return undefined;
      return { id: c.id ?? '', name: c.name ?? name, status: c.status ?? 'UNKNOWN', collectionGroupName: c.collectionGroupName || undefined, endpoint: c.collectionEndpoint, type: c.type };
    },
    async getCollectionGroup(name) {
      const out = await waitingFor('OpenSearchServerless BatchGetCollectionGroup', (abortSignal) => client.send(new BatchGetCollectionGroupCommand({ names: [name] }), { abortSignal }));
      const g = out.collectionGroupDetails?.find((d) => d.name === name);
      if (!g) return undefined;
      const group: AossCollectionGroup = { id: g.id ?? '', name: g.name ?? name, capacityLimits: limitsOf(g.capacityLimits) };
      const current = g.currentCapacity?.search?.capacityInOcu;
      if (current !== undefined) group.currentSearchOCU = current;
      return group;
    },
    async updateCollectionGroup(id, capacityLimits) {
      const out = await waitingFor('OpenSearchServerless UpdateCollectionGroup', (abortSignal) => client.send(new UpdateCollectionGroupCommand({ id, capacityLimits }), { abortSignal }));
      const d = out.updateCollectionGroupDetail;
      return { id: d?.id ?? id, name: d?.name ?? '', capacityLimits: limitsOf(d?.capacityLimits ?? capacityLimits) };
    },
    async getAccountSettings() {
      const out = await waitingFor('OpenSearchServerless GetAccountSettings', (abortSignal) => client.send(new GetAccountSettingsCommand({}), { abortSignal }));
      const l = out.accountSettingsDetail?.capacityLimits;
      return { maxSearchCapacityInOCU: l?.maxSearchCapacityInOCU, maxIndexingCapacityInOCU: l?.maxIndexingCapacityInOCU };
    },
    async updateAccountSettings(capacityLimits: AccountCapacityLimits) {
      const out = await waitingFor('OpenSearchServerless UpdateAccountSettings', (abortSignal) => client.send(new UpdateAccountSettingsCommand({ capacityLimits }), { abortSignal }));
      const l = out.accountSettingsDetail?.capacityLimits;
      return { maxSearchCapacityInOCU: l?.maxSearchCapacityInOCU, maxIndexingCapacityInOCU: l?.maxIndexingCapacityInOCU };
    },
    search,
  };
}

/**
 * Searches signed with SigV4 for service 'aoss' (@opensearch-project/opensearch's
 * AwsSigv4Signer); one client per endpoint. `getCredentials` defaults to the SDK chain.
 */
export function signedSearch(o: { region: string; getCredentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>; now?: () => number }): SearchFn {
  const clients = new Map<string, Promise<import('@opensearch-project/opensearch').Client>>();
  const now = o.now ?? (() => performance.now());
  const clientFor = (endpoint: string) => {
    let c = clients.get(endpoint);
    if (!c) {
      c = (async () => {
        const { Client } = commonJs(await import('@opensearch-project/opensearch'));
        const { AwsSigv4Signer } = commonJs(await import('@opensearch-project/opensearch/aws'));
        return new Client({ ...AwsSigv4Signer({ region: o.region, service: 'aoss', getCredentials: o.getCredentials }), node: endpoint, requestTimeout: 30_000, maxRetries: 0 });
      })();
      clients.set(endpoint, c);
    }
    return c;
  };
  return async (endpoint, index, body) => {
    const client = await clientFor(endpoint);
    const start = now();
    // Named to the stage's deadline like every other call (the client gives up after 30 s itself).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const res = await waitingFor(`OpenSearch search ${index}`, () => client.search({ index, body: body as any }));
    const ms = Math.round(now() - start);
    const b = res.body as { took?: number; hits?: { total?: number | { value?: number } } };
    const total = b.hits?.total;
    return { ms, took: b.took, hits: typeof total === 'number' ? total : total?.value };
  };
}

/** The client of capabilities/aws.ts; searches signed with that client's own credentials. */
export async function createLiveAoss(aws: Aws): Promise<AossPort> {
  const { client } = await aws.aoss();
  return liveAoss(client, signedSearch({ region: aws.region, getCredentials: () => client.config.credentials() }));
}
