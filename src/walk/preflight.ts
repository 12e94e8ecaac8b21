// `mangaops diagnose <id> --preflight`: every read a walk of this tree makes, called once with
// the current credentials — each probe kind's own `read`, through ports that note every call
// and how it answered — reported per probe and call as ok / denied / not found / error, so a
// missing IAM permission or a renamed table is found in daylight, not at 20:15. No read is
// written twice: preflight is the walk's read, watched.
import { livePorts } from '../capabilities/adapters.js';
import { classifyError, createAws, credentialsError, errorLine, errorName, isCredentialsError, serviceError } from '../capabilities/aws.js';
import { arns } from '../capabilities/iam.js';
import type { ProbeRequest, ReadContext } from '../capabilities/probe-kind.js';
import { kindOf, type Probe } from '../capabilities/probes.js';
import type { Ports } from '../capabilities/ports.js';
import { whereOf } from '../capabilities/policies.js';
import type { Config } from '../core/config.js';
import type { Evidence } from '../core/evidence.js';
import type { Runbook } from '../runbook/schema.js';
import { readAll } from './live-source.js';

export type PreflightStatus = 'ok' | 'denied' | 'not found' | 'error';

export interface PreflightRow {
  probe: string;
  call: string;
  status: PreflightStatus;
  detail: string;
}

export interface PreflightOptions {
  config: Config;
  region?: string;
  profile?: string;
  env: NodeJS.ProcessEnv;
  /** Per read; default 10 s (daylight: no hurry, but no hang either). */
  timeoutMs?: number;
}

interface Call {
  call: string;
  error?: unknown;
}

const SERVICE: Record<string, string> = { cloudwatch: 'cloudwatch', logs: 'logs', ecs: 'ecs', dynamo: 'dynamodb', redis: 'redis', aoss: 'aoss', quotas: 'servicequotas' };
/** Port methods whose IAM action is not their name in PascalCase. */
const NAMED: Record<string, string> = { 'dynamodb:BatchGet': 'dynamodb:BatchGetItem' };

function callName(port: string, method: string): string {
  const name = `${SERVICE[port] ?? port}:${method[0]!.toUpperCase()}${method.slice(1)}`;
  return NAMED[name] ?? name;
}

/** The live ports, with every method call noted (once per call name, worst answer kept). */
function recording(ports: Ports, calls: Call[]): Ports {
  const note = (call: string, error?: unknown) => {
    const seen = calls.find((c) => c.call === call);
    if (!seen) calls.push({ call, error });
    else if (error !== undefined && seen.error === undefined) seen.error = error;
  };
  const wrap = <T extends object>(port: string, target: T): T =>
    new Proxy(target, {
      get(t, key, receiver) {
        const v = Reflect.get(t, key, receiver);
        if (typeof v !== 'function' || typeof key !== 'string') return v;
        return async (...args: unknown[]) => {
          try {
            const r = await (v as (...a: unknown[]) => Promise<unknown>).apply(t, args);
            note(callName(port, key));
            return r;
          } catch (e) {
            note(callName(port, key), e);
            throw e;
          }
        };
      },
    });
  const out = { ...ports };
  for (const port of Object.keys(SERVICE) as (keyof Ports)[]) {
    const open = ports[port] as () => Promise<object>;
    (out as Record<string, unknown>)[port] = async () => wrap(port, await open());
  }
  return out;
}

function statusOf(error: unknown): PreflightStatus {
  const kind = classifyError(serviceError(error));
  return kind === 'denied' ? 'denied' : kind === 'not found' ? 'not found' : 'error';
}

function describe(e: Evidence | undefined): string {
  if (!e) return 'no answer';
  return e.status === 'ok' ? `answered: ${String(e.value)}${e.detail ? ` (${e.detail})` : ''}` : `answered: no data (${e.reason})`;
}

export async function preflight(runbook: Runbook, options: PreflightOptions): Promise<PreflightRow[]> {
  const aws = createAws(options);
  const timeout = options.timeoutMs ?? 10_000;
  const where = whereOf(options.config, options.env, options.region);
  const probes = Object.entries(runbook.probes).map(([id, p]): [string, Probe] => [id, (kindOf(p).preflight?.widen?.(p) as Probe | undefined) ?? p]);
  const base = livePorts({ aws, env: options.env, config: options.config });
  const now = new Date();
  const rows = new Map<string, PreflightRow[]>();
  try {
    // One read per group of probes that share a reader, as in a walk (one GetMetricData for every CloudWatch probe).
    const groups = new Map<unknown, [string, Probe][]>();
    for (const [id, p] of probes) groups.set(kindOf(p).reader, [...(groups.get(kindOf(p).reader) ?? []), [id, p]]);
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const calls: Call[] = [];
        const ctx: ReadContext = { ports: recording(base, calls), at: now, now, signal: () => AbortSignal.timeout(timeout), preflight: true };
        const requests: ProbeRequest<Probe>[] = group.map(([id, probe]) => ({ id, probe, timeoutMs: timeout }));
        const pending = readAll(requests, ctx);
        const evidence = new Map<string, Evidence>();
        for (const [id] of group) evidence.set(id, await pending.get(id)!.catch((e: unknown) => ({ status: 'error', reason: String(e) }) as Evidence));
        const bad = calls.find((c) => c.error !== undefined && isCredentialsError(serviceError(c.error)));
        if (bad) throw credentialsError(serviceError(bad.error), aws);
        for (const [id, probe] of group) rows.set(id, rowsOf(id, probe, calls, evidence.get(id), where));
      }),
    );
  } finally {
    await base.close().catch(() => undefined);
  }
  // In the runbook's probe order, so the report reads like the tree.
  return probes.flatMap(([id]) => rows.get(id) ?? []);
}

/** A probe's rows: each call its read needs, as it answered; one its read never reached says so. */
function rowsOf(id: string, probe: Probe, calls: Call[], evidence: Evidence | undefined, where: ReturnType<typeof whereOf>): PreflightRow[] {
  const needed: string[] = [];
  kindOf(probe).iamReads(probe, { allow: (_sid, actions) => needed.push(...actions.filter((a) => !needed.includes(a))), arn: arns(where) });
  const judged = kindOf(probe).preflight?.judge?.(evidence ?? { status: 'nodata', reason: 'no answer' });
  // In the order the kind declares its reads, whatever order parallel calls answered in.
  return needed.map((call) => {
    const c = calls.find((m) => m.call === call);
    if (!c) return { probe: id, call, status: 'ok', detail: 'not called: the read did not reach it this time (an earlier call failed, or nothing needed it); checked on the next preflight that does' };
    if (c.error !== undefined) {
      const e = serviceError(c.error);
      return { probe: id, call, status: statusOf(c.error), detail: `${errorName(e)}: ${errorLine(e)}` };
    }
    if (judged) return { probe: id, call, ...judged };
    return { probe: id, call, status: 'ok', detail: describe(evidence) };
  });
}
