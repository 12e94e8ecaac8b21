// The drill's DynamoDB: in-memory tables seeded with the seed's state — prompt templates for
// `recommendation` (v2.0 inactive, v2.1 active: scenario 5), classifier versions (v1.0
// inactive, v1.1 active), the router config (complexity_threshold_for_sonnet 0.3) and the
// inventory behind scenario 4's cached recommendations (Demon Slayer 23 LE sold out).
// Conditions are evaluated with the same `holds` the port defines, transactions are all or
// nothing, and every mutating call is appended to `mutations`.
import type { Config } from '../../core/config.js';
import {
  ConditionFailedError,
  holds,
  TransactionCanceledError,
  type DynamoPort,
  type Item,
  type Key,
  type ScanSpec,
  type TableInfo,
  type TransactItem,
  type UpdateSpec,
} from './port.js';

/** Stock behind scenario 4's cached lists (simulated/redis.ts): quantity 0 is sold out. */
export const seededInventory: Array<{ product_id: string; title: string; quantity: number }> = [
  { product_id: 'ds-23-le', title: 'Demon Slayer Vol. 23 — Limited Edition', quantity: 0 },
  { product_id: 'jjk-1', title: 'Jujutsu Kaisen Vol. 1', quantity: 42 },
  { product_id: 'jjk-25', title: 'Jujutsu Kaisen Vol. 25', quantity: 12 },
  { product_id: 'csm-1', title: 'Chainsaw Man Vol. 1', quantity: 17 },
  { product_id: 'op-105', title: 'One Piece Vol. 105', quantity: 88 },
  { product_id: 'mha-1', title: 'My Hero Academia Vol. 1', quantity: 5 },
  { product_id: 'vagabond-1', title: 'Vagabond Vol. 1', quantity: 9 },
  { product_id: 'berserk-41', title: 'Berserk Vol. 41', quantity: 3 },
];

const matches = (item: Item, key: Key) => Object.entries(key).every(([k, v]) => item[k] === v);

class SimulatedDynamo implements DynamoPort {
  readonly tables = new Map<string, Item[]>();

  constructor(readonly mutations: string[] = []) {}

  put(table: string, item: Item): void {
    const rows = this.tables.get(table) ?? [];
    rows.push(structuredClone(item));
    this.tables.set(table, rows);
  }

  private find(table: string, key: Key): Item | undefined {
    return this.tables.get(table)?.find((i) => matches(i, key));
  }

  async describeTable(table: string): Promise<TableInfo> {
    if (!this.tables.has(table)) throw Object.assign(new Error(`Requested resource not found: Table: ${table} not found`), { name: 'ResourceNotFoundException' });
    return { status: 'ACTIVE', streamEnabled: false };
  }

  async scan(table: string, spec: ScanSpec): Promise<Item[]> {
    const rows = (this.tables.get(table) ?? []).filter(
      (i) => (spec.exists ?? []).every((a) => i[a] !== undefined) && Object.entries(spec.equals ?? {}).every(([a, v]) => i[a] === v),
    );
    const picked = rows.map((i) => Object.fromEntries(spec.attributes.flatMap((a) => (i[a] === undefined ? [] : [[a, i[a]]]))));
    return structuredClone(spec.limit ? picked.slice(0, spec.limit) : picked);
  }

  async getItem(table: string, key: Key): Promise<Item | undefined> {
    const item = this.find(table, key);
    return item && structuredClone(item);
  }

  async queryPartition(table: string, attribute: string, value: string | number): Promise<Item[]> {
    return structuredClone((this.tables.get(table) ?? []).filter((i) => i[attribute] === value));
  }

  async batchGet(table: string, keys: Key[]): Promise<{ items: Item[]; unprocessed: Key[] }> {
    if (keys.length > 100) throw new Error(`BatchGetItem takes at most 100 keys, not ${keys.length}`);
    const items = keys.map((k) => this.find(table, k)).filter((i): i is Item => i !== undefined);
    return { items: structuredClone(items), unprocessed: [] };
  }

  private write(spec: UpdateSpec): void {
    const item = this.find(spec.table, spec.key);
    if (item) Object.assign(item, spec.set);
    else this.put(spec.table, { ...spec.key, ...spec.set });
  }

  async update(spec: UpdateSpec): Promise<void> {
    if (spec.condition && !holds(spec.condition, this.find(spec.table, spec.key))) throw new ConditionFailedError();
    this.write(spec);
    this.mutations.push(`DynamoDB UpdateItem ${spec.table} ${JSON.stringify(spec.key)} SET ${JSON.stringify(spec.set)}`);
  }

  async transact(items: TransactItem[]): Promise<void> {
    const reasons = items.map((i) => {
      const s = 'update' in i ? i.update : i.check;
      return !s.condition || holds(s.condition, this.find(s.table, s.key)) ? 'None' : 'ConditionalCheckFailed';
    });
    if (reasons.some((r) => r !== 'None')) {
      throw new TransactionCanceledError(`Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.join(', ')}]`, reasons);
    }
    for (const i of items) if ('update' in i) this.write(i.update);
    this.mutations.push(`DynamoDB TransactWriteItems ${items.map((i) => ('update' in i ? `Update ${JSON.stringify(i.update.key)} ${JSON.stringify(i.update.set)}` : `ConditionCheck ${JSON.stringify(i.check.key)}`)).join('; ')}`);
  }
}

/** A drill's DynamoDB with the seed's tables, named as in the config. */
export function simulatedDynamo(config: Config = {}, mutations: string[] = []): SimulatedDynamo {
  const db = new SimulatedDynamo(mutations);
  const prompts = config.dynamodb?.promptTable ?? 'manga-prompt-templates';
  db.put(prompts, { intent: 'recommendation', version: 'v2.0', active: false, prompt_tokens: 180 });
  db.put(prompts, { intent: 'recommendation', version: 'v2.1', active: true, prompt_tokens: 520 });
  db.put(prompts, { intent: 'faq', version: 'v1.3', active: true, prompt_tokens: 140 });
  const classifier = config.dynamodb?.classifierTable ?? 'manga-classifier-versions';
  db.put(classifier, { intent: 'classifier', version: 'v1.0', active: false });
  db.put(classifier, { intent: 'classifier', version: 'v1.1', active: true });
  db.put(config.dynamodb?.configTable ?? 'manga-router-config', { name: 'router', complexity_threshold_for_sonnet: 0.3 });
  const inventory = config.dynamodb?.inventoryTable ?? 'manga-inventory';
  for (const p of seededInventory) db.put(inventory, p);
  return db;
}
