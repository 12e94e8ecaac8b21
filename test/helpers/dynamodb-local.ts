// The official DynamoDB Local for integration tests: fetched once into .cache/dynamodb-local
// (scripts/fetch-dynamodb-local.sh), started with the machine's Java on a free loopback port,
// in memory, and stopped by the test. Point a client at it with `endpoint` and dummy
// credentials (see `dynamoLocalClientConfig`) — in tests only; the CLI never overrides them.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = process.env.DYNAMODB_LOCAL_DIR ?? join(root, '.cache', 'dynamodb-local');
const jar = join(dir, 'DynamoDBLocal.jar');
const START_TIMEOUT_MS = 60_000;

export interface DynamoLocal {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  stop(): Promise<void>;
}

/** Client configuration for DynamoDB Local: endpoint, a region, and credentials it ignores. */
export function dynamoLocalClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'ap-northeast-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}

async function ensureJar(): Promise<void> {
  if (existsSync(jar)) return;
  try {
    await promisify(execFile)('bash', [join(root, 'scripts', 'fetch-dynamodb-local.sh')], { cwd: root });
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`cannot fetch DynamoDB Local (scripts/fetch-dynamodb-local.sh): ${err.stderr?.trim() || err.message}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Any HTTP answer means the server is up (DynamoDB Local answers a bare GET with 400). */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
}

export async function startDynamoLocal(): Promise<DynamoLocal> {
  await ensureJar();
  const port = await freePort();
  const child = spawn(
    'java',
    // C1 only and the serial collector: a test's few hundred requests never need C2, and the
    // JVM starts in half the CPU (measured: 1.2 s of user time instead of 2.6 s).
    ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`, '-jar', jar, '-inMemory', '-port', String(port)],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let spawnError: Error | undefined;
  child.on('error', (e) => (spawnError = e));
  // A test process that dies must not leave a JVM behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited(child);
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError) {
      await stop();
      const hint = (spawnError as NodeJS.ErrnoException).code === 'ENOENT' ? ': install a Java runtime (java 11+ on PATH)' : '';
      throw new Error(`cannot start DynamoDB Local: ${spawnError.message}${hint}`);
    }
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited with ${child.exitCode}:\n${output}`);
    if (await answers(port)) return { endpoint: `http://127.0.0.1:${port}`, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`DynamoDB Local did not answer on port ${port} within ${START_TIMEOUT_MS / 1000} s:\n${output}`);
}
