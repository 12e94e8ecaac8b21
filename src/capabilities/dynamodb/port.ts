// The DynamoDB the probes and actions touch, narrow: a table's description, a filtered Scan,
// consistent reads of one item or one partition, one BatchGetItem call, one conditional
// UpdateItem, one TransactWriteItems. Conditions are a tiny
// structured language compiled here, once, into DynamoDB expressions — the live adapter sends
// what `compileUpdate` builds, the plan prints the same object as an `aws dynamodb …` command,
// and the drill's in-memory table evaluates the same condition with `holds`. No SDK import
// here: drills and plans stay light.

export type Scalar = string | number | boolean;
/** An item as plain values (unmarshalled): strings, numbers, booleans, lists, maps. */
export type Item = Record<string, unknown>;
/** A primary key: partition (and sort) attribute values. */
export type Key = Record<string, string | number>;

export type Condition =
  | { exists: string }
  | { notExists: string }
  | { equals: [attribute: string, value: Scalar] }
  | { and: Condition[] }
  | { or: Condition[] };

export interface UpdateSpec {
  table: string;
  key: Key;
  /** SET each attribute to its value. */
  set: Record<string, Scalar>;
  condition?: Condition;
}

export interface CheckSpec {
  table: string;
  key: Key;
  condition: Condition;
}

export type TransactItem = { update: UpdateSpec } | { check: CheckSpec };

export interface TableInfo {
  status?: string;
  /** StreamSpecification.StreamEnabled (absent: false), and its view type. */
  streamEnabled: boolean;
  streamViewType?: string;
}

export interface ScanSpec {
  /** The attributes returned (ProjectionExpression). */
  attributes: string[];
  /** Only items that have these attributes… */
  exists?: string[];
  /** …and these values (FilterExpression). */
  equals?: Record<string, Scalar>;
  /** Stop after this many items read (preflight's look). */
  limit?: number;
}

export interface DynamoPort {
  /** DescribeTable. */
  describeTable(table: string, signal?: AbortSignal): Promise<TableInfo>;
  /** Scan with a filter, every page (or up to `limit` items). */
  scan(table: string, spec: ScanSpec, signal?: AbortSignal): Promise<Item[]>;
  /** GetItem, strongly consistent; undefined when there is no such item. */
  getItem(table: string, key: Key): Promise<Item | undefined>;
  /** Query one partition, strongly consistent, every page. */
  queryPartition(table: string, attribute: string, value: string | number): Promise<Item[]>;
  /** One BatchGetItem call (at most 100 keys): the items found, and the keys DynamoDB left unprocessed. */
  batchGet(table: string, keys: Key[], attributes?: string[], signal?: AbortSignal): Promise<{ items: Item[]; unprocessed: Key[] }>;
  /** UpdateItem; ConditionFailedError when the condition does not hold. */
  update(spec: UpdateSpec): Promise<void>;
  /** TransactWriteItems, all or nothing; TransactionCanceledError with DynamoDB's reasons. `token` makes SDK retries idempotent. */
  transact(items: TransactItem[], token: string): Promise<void>;
}

export class ConditionFailedError extends Error {
  constructor(message = 'The conditional request failed') {
    super(message);
    this.name = 'ConditionFailedError';
  }
}

export class TransactionCanceledError extends Error {
  constructor(
    message: string,
    /** One code per transaction item, in order: 'None', 'ConditionalCheckFailed', 'TransactionConflict', … */
    readonly reasons: string[],
  ) {
    super(message);
    this.name = 'TransactionCanceledError';
  }
}

// ---- DynamoDB JSON and expressions -------------------------------------------------------

export type AttributeJson = { S: string } | { N: string } | { BOOL: boolean };

export function toAttribute(v: Scalar): AttributeJson {
  if (typeof v === 'string') return { S: v };
  if (typeof v === 'number') return { N: String(v) };
  return { BOOL: v };
}

export function keyJson(key: Key): Record<string, AttributeJson> {
  return Object.fromEntries(Object.entries(key).map(([k, v]) => [k, toAttribute(v)]));
}

interface ExpressionParts {
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeJson>;
}

export interface UpdateJson extends ExpressionParts {
  TableName: string;
  Key: Record<string, AttributeJson>;
  UpdateExpression: string;
  ConditionExpression?: string;
}

export interface CheckJson extends ExpressionParts {
  TableName: string;
  Key: Record<string, AttributeJson>;
  ConditionExpression: string;
}

/** Readable, collision-free placeholders: `#active`, `:active`, `:active_was`. */
class Placeholders {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeJson> = {};

  name(attribute: string): string {
    const base = `#${attribute.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let p = base;
    for (let i = 2; this.names[p] !== undefined && this.names[p] !== attribute; i++) p = `${base}${i}`;
    this.names[p] = attribute;
    return p;
  }

  value(hint: string, v: Scalar): string {
    const attr = toAttribute(v);
    const base = `:${hint.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let p = base;
    for (let i = 2; this.values[p] !== undefined && JSON.stringify(this.values[p]) !== JSON.stringify(attr); i++) p = `${base}${i}`;
    this.values[p] = attr;
    return p;
  }

  parts(): ExpressionParts {
    return Object.keys(this.values).length
      ? { ExpressionAttributeNames: this.names, ExpressionAttributeValues: this.values }
      : { ExpressionAttributeNames: this.names };
  }
}

function conditionExpression(c: Condition, p: Placeholders, top = true): string {
  if ('exists' in c) return `attribute_exists(${p.name(c.exists)})`;
  if ('notExists' in c) return `attribute_not_exists(${p.name(c.notExists)})`;
  if ('equals' in c) return `${p.name(c.equals[0])} = ${p.value(`${c.equals[0]}_was`, c.equals[1])}`;
  const [op, parts] = 'and' in c ? [' AND ', c.and] : [' OR ', c.or];
  const text = parts.map((x) => conditionExpression(x, p, false)).join(op);
  return top || parts.length < 2 ? text : `(${text})`;
}

export function compileUpdate(spec: UpdateSpec): UpdateJson {
  const p = new Placeholders();
  const sets = Object.entries(spec.set).map(([a, v]) => `${p.name(a)} = ${p.value(a, v)}`);
  const condition = spec.condition ? conditionExpression(spec.condition, p) : undefined;
  return {
    TableName: spec.table,
    Key: keyJson(spec.key),
    UpdateExpression: `SET ${sets.join(', ')}`,
    ...(condition ? { ConditionExpression: condition } : {}),
    ...p.parts(),
  };
}

function compileCheck(spec: CheckSpec): CheckJson {
  const p = new Placeholders();
  const condition = conditionExpression(spec.condition, p);
  return { TableName: spec.table, Key: keyJson(spec.key), ConditionExpression: condition, ...p.parts() };
}

/** `{ Update: … }` / `{ ConditionCheck: … }`, as TransactWriteItems and `aws dynamodb transact-write-items` take them. */
export function compileTransact(items: TransactItem[]): Array<{ Update: UpdateJson } | { ConditionCheck: CheckJson }> {
  return items.map((i) => ('update' in i ? { Update: compileUpdate(i.update) } : { ConditionCheck: compileCheck(i.check) }));
}

/** Whether a condition holds for an item (undefined: no item), as DynamoDB evaluates it. */
export function holds(c: Condition, item: Item | undefined): boolean {
  if ('exists' in c) return item !== undefined && item[c.exists] !== undefined;
  if ('notExists' in c) return item === undefined || item[c.notExists] === undefined;
  if ('equals' in c) return item !== undefined && item[c.equals[0]] === c.equals[1];
  return 'and' in c ? c.and.every((x) => holds(x, item)) : c.or.some((x) => holds(x, item));
}
