// A TCP proxy for fault tests: it sits between a client (the AWS SDK, ioredis) and a real
// server (DynamoDB Local, redis-server) and forwards bytes both ways — until told to misbehave:
//   dropRepliesAfter(re)  once a request chunk matches, that connection's replies are swallowed
//                         (the write reached the server; its answer never comes back)
//   resetAfter(re, n)     once a request chunk matches, the reply that follows is replaced by a
//                         TCP reset (ECONNRESET), for the first n such requests (default: all)
//   resetAfterChunks(re, n) after n request chunks matching, reset the connection at once, once
//                         (a connection cut in the middle of a pipelined purge); then forward
//   delayReplies(ms)      every reply chunk waits ms before it is forwarded (a slow network)
//   freeze()              nothing is forwarded any more, either way (the server kill -STOPped)
//   seen(re, n)           resolves once n request chunks matched, whatever the rule (to time a kill)
// Each new connection gets the rule in force; the trigger is per connection.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  /** host:port to point the client at. */
  port: number;
  url(scheme: string): string;
  dropRepliesAfter(match: RegExp): void;
  resetAfter(match: RegExp, times?: number): void;
  resetAfterChunks(match: RegExp, chunks: number): void;
  delayReplies(ms: number): void;
  freeze(): void;
  /** Back to forwarding everything, for new connections and old. */
  heal(): void;
  /** How many requests matched the current rule. */
  matched(): number;
  seen(match: RegExp, n: number): Promise<void>;
  close(): Promise<void>;
}

type Rule =
  | { kind: 'forward' }
  | { kind: 'drop'; match: RegExp }
  | { kind: 'reset'; match: RegExp; left: number }
  | { kind: 'cut'; match: RegExp; after: number }
  | { kind: 'delay'; ms: number }
  | { kind: 'freeze' };

export async function startFaultProxy(target: { host?: string; port: number }): Promise<FaultProxy> {
  let rule: Rule = { kind: 'forward' };
  let matched = 0;
  let cutSeen = 0;
  const sockets = new Set<Socket>();
  const watchers: { match: RegExp; left: number; done: () => void }[] = [];

  const server: Server = createServer((client) => {
    const upstream = connect({ host: target.host ?? '127.0.0.1', port: target.port });
    sockets.add(client).add(upstream);
    let swallow = false;
    let resetNext = false;
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);

    client.on('data', (chunk: Buffer) => {
      if (rule.kind === 'freeze') return;
      const text = chunk.toString('latin1');
      for (const w of watchers) if (w.left > 0 && w.match.test(text) && --w.left === 0) w.done();
      if (rule.kind === 'drop' && rule.match.test(text)) {
        matched++;
        swallow = true;
      }
      if (rule.kind === 'reset' && rule.left > 0 && rule.match.test(text)) {
        matched++;
        rule.left--;
        resetNext = true;
      }
      if (rule.kind === 'cut' && rule.match.test(text) && ++cutSeen > rule.after) {
        matched++;
        rule = { kind: 'forward' };
        // The connection dies in the middle of the exchange; what was sent so far may have run.
        upstream.write(chunk);
        setImmediate(() => client.resetAndDestroy());
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (rule.kind === 'freeze' || swallow) return;
      if (resetNext) return void client.resetAndDestroy();
      if (rule.kind === 'delay') return void setTimeout(() => client.writable && client.write(chunk), rule.ms);
      client.write(chunk);
    });
  });
  server.on('connection', (s) => s.on('close', () => sockets.delete(s)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;

  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    dropRepliesAfter: (match) => void ((rule = { kind: 'drop', match }), (matched = 0)),
    resetAfter: (match, times = Infinity) => void ((rule = { kind: 'reset', match, left: times }), (matched = 0)),
    resetAfterChunks: (match, chunks) => void ((rule = { kind: 'cut', match, after: chunks }), (matched = 0), (cutSeen = 0)),
    delayReplies: (ms) => void (rule = { kind: 'delay', ms }),
    freeze: () => void (rule = { kind: 'freeze' }),
    heal: () => void (rule = { kind: 'forward' }),
    matched: () => matched,
    seen: (match, n) => new Promise<void>((done) => watchers.push({ match, left: n, done })),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
