// The team table as a narrow port: what the team layer reads and writes, and nothing of the
// SDK. One table, single-table design (docs/team.md):
//
//   pk                 sk                         what
//   INC#<incident>     EV#<seq, 8 digits>         one journal record, in order (conditional put)
//   INC#<incident>     HEAD                       runbook, who started, driver, status, outcome
//   INC#<incident>     APPROVAL#<step>#<who>      one approval of one step by one engineer
//   LEASE#<resource>   LEASE                      who changes it, until when (ttl)
//
// The index `by-listing` (listing, listedAt) lists heads and leases without a Scan: listing is
// `open` or `closed` on heads and `lease` on leases; journal records carry neither.

export const INDEX = 'by-listing';
export const TTL_ATTRIBUTE = 'ttl';

export const incidentKey = (incident: string) => `INC#${incident}`;
export const eventKey = (seq: number) => `EV#${String(seq).padStart(8, '0')}`;
export const HEAD = 'HEAD';
export const approvalKey = (step: number, by: string) => `APPROVAL#${String(step).padStart(6, '0')}#${by}`;
export const leaseKey = (resource: string) => `LEASE#${resource}`;
export const LEASE = 'LEASE';
export const alarmClaimKey = (transition: string) => `ALARM#${transition}`;
export const CLAIM = 'CLAIM';

/** One journal record as the table keeps it: the JSONL line, byte for byte, and who wrote it. */
export interface EventItem {
  seq: number;
  /** The JSON of the record, exactly as in the writer's JSONL file. */
  record: string;
  by: string;
}

export type Listing = 'open' | 'closed';

/** An incident's head: what `mangaops incidents` lists. */
export interface Head {
  incident: string;
  runbook?: string;
  mode?: string;
  startedBy?: string;
  startedAt?: string;
  /** open (walking or paused), or how it ended: resolved, stopped, failed, needs-human, aborted. */
  status?: string;
  outcome?: string;
  endedAt?: string;
  listing?: Listing;
  /** The one engineer who appends decisions and steps, while driverUntil (ms) is in the future. */
  driver?: string;
  driverSince?: string;
  driverUntil?: number;
  /** The last handover named them. */
  handedTo?: string;
}

/** The fields a record sets on its incident's head (start, end, resume, handover). */
export type HeadFields = Partial<Omit<Head, 'incident' | 'driver' | 'driverSince' | 'driverUntil'>> & { listedAt?: string };

export interface LeaseItem {
  resource: string;
  name: string;
  holder: string;
  incident: string;
  step: number;
  action: string;
  /** ISO times. */
  since: string;
  /** ms since epoch: the lease is free after it. */
  until: number;
  /** This holding, so a renewal or release never touches someone else's. */
  token: string;
}

export interface ApprovalItem {
  incident: string;
  step: number;
  action: string;
  by: string;
  at: string;
  note?: string;
  /** What was approved: the action, its parameters and the plan's changes (approvals.ts). */
  key: string;
  /** Who planned the step. */
  requestedBy: string;
}

export type Claim = { ok: true; previous?: Head } | { ok: false; head: Head };

export interface TeamStore {
  readonly table: string;
  /** Write record `seq` unless the slot is taken: `same` when it already holds this very record (a retry). */
  putEvent(incident: string, seq: number, record: string, by: string): Promise<'written' | 'same' | 'conflict'>;
  /**
   * Several records in one transaction, each conditional on its slot, with what they change on
   * the head: false when any slot was taken (the caller sorts them out one by one).
   */
  putEvents(incident: string, records: { seq: number; record: string }[], by: string, head?: HeadFields): Promise<boolean>;
  /** Records after `afterSeq`, in order, strongly consistent. */
  events(incident: string, afterSeq?: number): Promise<EventItem[]>;

  head(incident: string): Promise<Head | undefined>;
  updateHead(incident: string, fields: HeadFields): Promise<void>;
  /** Become the driver unless someone else's driver lease is live (`take` overrides). */
  claimDriver(incident: string, me: string, token: string, nowMs: number, untilMs: number, take: boolean): Promise<Claim>;
  /** Extend it; false when it is no longer this token's (taken over, handed over). */
  renewDriver(incident: string, token: string, untilMs: number): Promise<boolean>;
  /** Give it up: with a token, only one's own; with `me`, when no one else drives (handover). */
  releaseDriver(incident: string, by: { token: string } | { me: string; nowMs: number }, handedTo?: string): Promise<boolean>;
  listIncidents(listing: Listing, limit: number): Promise<Head[]>;

  /** Take the lease unless someone holds it unexpired; otherwise who does. */
  acquireLease(lease: LeaseItem, nowMs: number): Promise<{ taken: true } | { taken: false; holder: LeaseItem }>;
  renewLease(resource: string, token: string, untilMs: number): Promise<boolean>;
  releaseLease(resource: string, token: string): Promise<void>;
  leases(): Promise<LeaseItem[]>;

  /** false: this engineer had already approved this step. */
  putApproval(approval: ApprovalItem): Promise<boolean>;

  /** Claim an alarm transition for its pre-diagnosis (on-alarm): false when another delivery has. */
  claimAlarm(transition: string, note: string, expiresMs: number): Promise<boolean>;
  /** Give the claim back: the pre-diagnosis failed, a redelivery may try again. */
  releaseAlarm(transition: string): Promise<void>;
  approvals(incident: string): Promise<ApprovalItem[]>;
}

/** The table as CreateTable takes it (and as `team init --dry-run` prints it). */
export const TABLE_DEFINITION = {
  BillingMode: 'PAY_PER_REQUEST' as const,
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' as const },
    { AttributeName: 'sk', AttributeType: 'S' as const },
    { AttributeName: 'listing', AttributeType: 'S' as const },
    { AttributeName: 'listedAt', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' as const },
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: INDEX,
      KeySchema: [
        { AttributeName: 'listing', KeyType: 'HASH' as const },
        { AttributeName: 'listedAt', KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    },
  ],
};
