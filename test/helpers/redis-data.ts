// Seeding and reading a real Redis (standalone or cluster) from tests with ioredis directly —
// independent of the port under test, so an assertion never trusts the code it checks.
import { Cluster, Redis } from 'ioredis';

export type Client = Redis | Cluster;

export async function openClient(url: string, cluster: boolean): Promise<Client> {
  const u = new URL(url);
  const c = cluster
    ? new Cluster([{ host: u.hostname, port: Number(u.port) }], { enableAutoPipelining: true, lazyConnect: true })
    : new Redis({ host: u.hostname, port: Number(u.port), enableAutoPipelining: true, lazyConnect: true });
  await c.connect();
  return c;
}

/** SET every key (pipelined by ioredis per node, 10,000 at a time), optionally with a TTL. */
export async function seed(client: Client, keys: string[], value: (key: string) => string = () => '1', ttlMs?: number): Promise<void> {
  for (let i = 0; i < keys.length; i += 10_000) {
    await Promise.all(keys.slice(i, i + 10_000).map((k) => (ttlMs ? client.set(k, value(k), 'PX', ttlMs) : client.set(k, value(k)))));
  }
}

function masters(client: Client): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** Every key, by SCAN on every master. */
export async function allKeys(client: Client, match?: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const node of masters(client)) {
    let cursor = '0';
    do {
      const [next, keys] = match ? await node.scan(cursor, 'MATCH', match, 'COUNT', 5000) : await node.scan(cursor, 'COUNT', 5000);
      for (const k of keys) out.add(k);
      cursor = next;
    } while (cursor !== '0');
  }
  return out;
}

export async function dbsize(client: Client): Promise<number> {
  let n = 0;
  for (const node of masters(client)) n += await node.dbsize();
  return n;
}

export async function flushAll(client: Client): Promise<void> {
  await Promise.all(masters(client).map((n) => n.flushall()));
}
