// Real Redis for integration tests: a standalone `redis-server`, or a local Redis Cluster of
// three masters and three replicas (as ElastiCache cluster mode has), each on free loopback
// ports, in memory (`--save '' --appendonly no`), in a temp dir, and stopped by the test.
// Needs redis-server and redis-cli on PATH (Debian: apt-get install redis-server).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const START_TIMEOUT_MS = 20_000;

export interface RedisServer {
  url: string;
  port: number;
  /** The redis-server process, for a test that kills it. */
  pid: number;
  stop(): Promise<void>;
}

export interface RedisClusterHandle {
  /** A startup node: redis://127.0.0.1:<first master>. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/** Free loopback ports, all held open at once so that no two are the same. */
async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const s = createServer();
      s.on('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** One inline command over a raw socket: the helper needs no Redis client of its own. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let data = '';
    socket.setTimeout(2000, () => socket.destroy(new Error('timeout')));
    socket.on('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk) => {
      data += chunk.toString();
      // A status/error line, or a bulk string once complete.
      const bulk = /^\$(\d+)\r\n/.exec(data);
      if ((!bulk && data.endsWith('\r\n')) || (bulk && data.length >= bulk[0].length + Number(bulk[1]) + 2)) {
        socket.end();
        resolve(data);
      }
    });
    socket.on('error', reject);
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, child?: () => string | undefined): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const died = child?.();
    if (died) throw new Error(died);
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not ready within ${START_TIMEOUT_MS / 1000} s`);
}

interface Spawned {
  port: number;
  child: ChildProcess;
  output: () => string;
}

function spawnRedis(dir: string, port: number, extra: string[]): Spawned {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => (out = (out + c.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  child.on('error', (e) => (out += `\n${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'redis-server is not installed (apt-get install redis-server)' : e.message}`));
  return { port, child, output: () => out };
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

function stopper(children: ChildProcess[], dir: string, removeDir = true): () => Promise<void> {
  // A test process that dies must not leave servers behind.
  const killAll = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killAll);
  return async () => {
    process.removeListener('exit', killAll);
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    const timer = setTimeout(killAll, 5000);
    await Promise.all(children.map(exited));
    clearTimeout(timer);
    if (removeDir) rmSync(dir, { recursive: true, force: true });
  };
}

function deadMessage(s: Spawned): string | undefined {
  if (s.child.exitCode === null && s.child.signalCode === null && !/not installed/.test(s.output())) return undefined;
  return `redis-server on port ${s.port} exited:\n${s.output()}`;
}

/**
 * A standalone server; with `tls`, it speaks only TLS (as ElastiCache with in-transit
 * encryption), with a self-signed certificate for 127.0.0.1 made by openssl in its temp dir.
 */
export async function startRedisServer(options: { tls?: boolean; args?: string[]; dir?: string; port?: number } = {}): Promise<RedisServer> {
  // A folder given by the test outlives the server (a restart reads its append-only file).
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'mangaops-redis-'));
  const [port] = options.port ? [options.port] : ((await freePorts(1)) as [number]);
  let extra: string[] = options.args ?? [];
  if (options.tls) {
    await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']).catch((e: Error) => {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`cannot make a test certificate (openssl): ${e.message}`);
    });
    extra = ['--tls-port', String(port), '--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem'), '--tls-ca-cert-file', join(dir, 'cert.pem'), '--tls-auth-clients', 'no'];
  }
  const s = spawnRedis(dir, options.tls ? 0 : port, extra);
  const stop = stopper([s.child], dir, !options.dir);
  try {
    // A TLS server does not answer plain text: wait for its log line instead.
    // A server with requirepass answers PING with NOAUTH: up all the same.
    const up = options.tls ? async () => /Ready to accept connections/.test(s.output()) : async () => /^(\+PONG|-NOAUTH)/.test(await command(port, 'PING'));
    await waitFor(`redis-server on ${port}`, up, () => deadMessage(s));
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `${options.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`, port, pid: s.child.pid!, stop };
}

/** Six servers with cluster mode on, joined by `redis-cli --cluster create … --cluster-replicas 1`. */
export async function startRedisCluster(): Promise<RedisClusterHandle> {
  const dir = mkdtempSync(join(tmpdir(), 'mangaops-redis-cluster-'));
  // Each node needs a client port and a cluster-bus port (cluster-port, Redis 7).
  const ports = await freePorts(12);
  const nodes = Array.from({ length: 6 }, (_, i) =>
    spawnRedis(dir, ports[i]!, [
      '--cluster-enabled', 'yes',
      '--cluster-port', String(ports[i + 6]),
      '--cluster-config-file', `nodes-${ports[i]}.conf`,
      '--cluster-node-timeout', '5000',
    ]),
  );
  const stop = stopper(nodes.map((n) => n.child), dir);
  try {
    for (const n of nodes) {
      await waitFor(`redis-server on ${n.port}`, async () => (await command(n.port, 'PING')).startsWith('+PONG'), () => deadMessage(n));
    }
    const addresses = nodes.map((n) => `127.0.0.1:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'], { timeout: 60_000 });
    for (const n of nodes) {
      await waitFor(`cluster state on ${n.port}`, async () => /cluster_state:ok/.test(await command(n.port, 'CLUSTER INFO')));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { url: `redis://127.0.0.1:${nodes[0]!.port}`, ports: nodes.map((n) => n.port), stop };
}
