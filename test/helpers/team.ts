// Engineers on their own machines, as far as one test host allows: each runs the built CLI
// as a separate process with its own XDG_STATE_HOME (journals) and USER (who they are), all
// against one DynamoDB Local. Processes run asynchronously, so the test can watch their
// journals, kill one, or release a lease while others wait — and so the stand-ins served
// from this process keep answering.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bin, root } from './cli.js';

export interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches (rejects past the deadline). */
  waitFor(pattern: RegExp, deadlineMs?: number): Promise<void>;
  done: Promise<Run>;
}

/** Every run has a deadline: a hung process is killed and the test says so. */
const RUN_DEADLINE_MS = 45_000;

export function spawnCli(args: string[], env: Record<string, string>): Running {
  const child = spawn(process.execPath, [bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => (clearTimeout(timer), resolve({ code, signal, stdout: out, stderr: err }))));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    waitFor: (pattern, deadlineMs = 20_000) => until(() => pattern.test(out), deadlineMs, `stdout of mangaops ${args.join(' ')} to match ${pattern}:\n${out}\n${err}`),
    done,
  };
}

/** Poll `ok` every 25 ms until it holds, or fail past the deadline. */
export async function until(ok: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface Engineer {
  name: string;
  state: string;
  env: Record<string, string>;
  run(args: string[], extra?: Record<string, string>): Promise<Run>;
  start(args: string[], extra?: Record<string, string>): Running;
  /** The journal files on this engineer's machine, newest last. */
  journals(): string[];
  /** One incident's journal records, as written. */
  records(incident: string): Record<string, unknown>[];
  lines(incident: string): string[];
}

export function engineer(name: string, base: Record<string, string>): Engineer {
  const state = mkdtempSync(join(tmpdir(), `mangaops-${name}-`));
  const env = { ...base, USER: name, XDG_STATE_HOME: state };
  const dir = join(state, 'mangaops', 'incidents');
  const lines = (incident: string) => readFileSync(join(dir, `${incident}.jsonl`), 'utf8').split('\n').filter(Boolean);
  return {
    name,
    state,
    env,
    run: (args, extra = {}) => spawnCli(args, { ...env, ...extra }).done,
    start: (args, extra = {}) => spawnCli(args, { ...env, ...extra }),
    journals: () => (existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort().map((f) => f.replace(/\.jsonl$/, '')) : []),
    records: (incident) => lines(incident).map((l) => JSON.parse(l) as Record<string, unknown>),
    lines,
  };
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(body));
  });
}

export interface EcsService {
  desiredCount: number;
  runningCount: number;
}

/**
 * AWS as far as the team tests need it, on one local port: STS refuses the credentials at once
 * (InvalidClientTokenId), so identity falls back to $USER@host without waiting out its second;
 * ECS answers DescribeServices and UpdateService (AWS JSON 1.1) for named services, whose
 * running count follows the desired count unless the count is one of `stuckAt` — a rollout
 * that never finishes, so verify keeps waiting with its lease held.
 */
export async function startAwsStandIn(services: Record<string, EcsService>, stuckAt: number[] = []) {
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(value));
    };
    const view = (name: string, s: EcsService) => ({
      serviceName: name,
      serviceArn: `arn:aws:ecs:ap-northeast-1:123456789012:service/c1/${name}`,
      status: 'ACTIVE',
      desiredCount: s.desiredCount,
      runningCount: s.runningCount,
      pendingCount: 0,
      taskDefinition: `arn:aws:ecs:ap-northeast-1:123456789012:task-definition/${name}:1`,
      deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: `arn:aws:ecs:ap-northeast-1:123456789012:task-definition/${name}:1`, desiredCount: s.desiredCount, runningCount: s.runningCount, pendingCount: 0, rolloutState: 'COMPLETED' }],
    });
    if (target.endsWith('.DescribeServices')) {
      const { services: names } = JSON.parse(body) as { services: string[] };
      return json(200, { services: names.filter((n) => services[n]).map((n) => view(n, services[n]!)), failures: [] });
    }
    if (target.endsWith('.UpdateService')) {
      const { service, desiredCount } = JSON.parse(body) as { service: string; desiredCount: number };
      const s = services[service]!;
      s.desiredCount = desiredCount;
      if (!stuckAt.includes(desiredCount)) s.runningCount = desiredCount;
      return json(200, { service: view(service, s) });
    }
    // STS (awsQuery): the credentials are refused, as a dummy key would be.
    res.writeHead(403, { 'content-type': 'text/xml' });
    res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error></ErrorResponse>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { endpoint, services, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
