// Every key read with BatchGetItem — 100 keys a call, UnprocessedKeys asked again with
// exponential backoff, at most 8 attempts per batch — for the stock probe and
// redis.invalidate-stale alike: one retry policy for the out-of-stock read.
import { sleep as realSleep } from '../../core/async.js';
import { MangaopsError } from '../../core/errors.js';
import { plural } from '../../core/shell.js';
import type { DynamoPort, Item, Key } from './port.js';

export const BATCH_GET_MAX = 100;
export const BATCH_GET_ATTEMPTS = 8;
const BACKOFF_BASE_MS = 50;

export interface BatchGetOptions {
  /** The clock's sleep (an action's, so tests pass time without waiting); default real timers. */
  sleep?: (ms: number) => Promise<void>;
  signal?: AbortSignal;
}

export async function batchGetAll(dynamo: DynamoPort, table: string, keys: Key[], attributes: string[], options: BatchGetOptions = {}): Promise<{ items: Item[]; calls: number }> {
  const sleep = options.sleep ?? ((ms: number) => realSleep(ms, options.signal));
  const items: Item[] = [];
  let calls = 0;
  for (let i = 0; i < keys.length; i += BATCH_GET_MAX) {
    let pending = keys.slice(i, i + BATCH_GET_MAX);
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt === BATCH_GET_ATTEMPTS) {
        throw new MangaopsError(
          `DynamoDB ${table}: ${plural(pending.length, 'product')} still unprocessed after ${BATCH_GET_ATTEMPTS} BatchGetItem attempts (throttled)`,
          1,
          'nothing was changed; run it again in a minute, or raise the table read capacity',
        );
      }
      if (attempt > 0) await sleep(BACKOFF_BASE_MS * 2 ** (attempt - 1));
      const out = await dynamo.batchGet(table, pending, attributes, options.signal);
      calls++;
      items.push(...out.items);
      pending = out.unprocessed;
    }
  }
  return { items, calls };
}
