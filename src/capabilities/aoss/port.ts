// The OpenSearch Serverless port. Capacity limits are per collection group (minimum and
// maximum) or per account (maximum only): the API has no per-collection capacity at all.
export interface AossCollection {
  id: string;
  name: string;
  status: string;
  /** Set when the collection belongs to a collection group. */
  collectionGroupName?: string;
  /** https://<id>.<region>.aoss.amazonaws.com */
  endpoint?: string;
  type?: string;
}

/** CollectionGroupCapacityLimits: the only place a minimum exists. */
export interface GroupCapacityLimits {
  minSearchCapacityInOCU?: number;
  maxSearchCapacityInOCU?: number;
  minIndexingCapacityInOCU?: number;
  maxIndexingCapacityInOCU?: number;
}

export interface AossCollectionGroup {
  id: string;
  name: string;
  capacityLimits: GroupCapacityLimits;
  /** CurrentCapacity.search.capacityInOcu, when the service reports it. */
  currentSearchOCU?: number;
}

/** The account's CapacityLimits: maxima only. */
export interface AccountCapacityLimits {
  maxSearchCapacityInOCU?: number;
  maxIndexingCapacityInOCU?: number;
}

export interface SearchResult {
  /** Round trip measured by the client, in milliseconds. */
  ms: number;
  /** The server's own `took`, when it answered. */
  took?: number;
  hits?: number;
}

export interface AossPort {
  /** BatchGetCollection by name. */
  getCollection(name: string): Promise<AossCollection | undefined>;
  /** BatchGetCollectionGroup by name. */
  getCollectionGroup(name: string): Promise<AossCollectionGroup | undefined>;
  /** UpdateCollectionGroup: takes the group's id, not its name. */
  updateCollectionGroup(id: string, capacityLimits: GroupCapacityLimits): Promise<AossCollectionGroup>;
  getAccountSettings(): Promise<AccountCapacityLimits>;
  updateAccountSettings(capacityLimits: AccountCapacityLimits): Promise<AccountCapacityLimits>;
  /** One search against a collection endpoint, SigV4-signed for service 'aoss'. */
  search(endpoint: string, index: string, body: Record<string, unknown>): Promise<SearchResult>;
}
