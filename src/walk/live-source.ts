// The live evidence source: every probe of the tree starts at once — each group of probes that
// share a reader (all CloudWatch probes in one batched GetMetricData; ECS, DynamoDB and Logs
// Insights beside it) through its capability's port — each under its own deadline; `onSettled`
// reports each card as it lands, and the gather never outlasts the longest deadline. A failure
// is that probe's no-data / error card; missing or expired credentials stop the whole gather
// once, with one line saying how to fix them.
//
// Importing this module loads no AWS SDK: the ports create the clients, and import their
// modules, on the first read.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { livePorts } from '../capabilities/adapters.js';
import { createAws, credentialsError, type Aws } from '../capabilities/aws.js';
import { CredentialsFailure, failure } from '../capabilities/failure.js';
import type { Pending, ProbeRequest, ReadContext, Reader } from '../capabilities/probe-kind.js';
import { kindOf, type Probe } from '../capabilities/probes.js';
import type { Ports } from '../capabilities/ports.js';
import type { Config } from '../core/config.js';
import type { Evidence, EvidenceMap } from '../core/evidence.js';
import type { EvidenceSource } from './sources.js';

const DEFAULT_TIMEOUT_MS = 3000;
/** A probe reading the cached recommendations must not wait long for Redis. */
const REDIS_CONNECT_TIMEOUT_MS = 2000;

export interface LiveSourceOptions {
  config: Config;
  /** --region; else AWS_REGION; else the config's region. */
  region?: string;
  /** --profile; else the SDK reads AWS_PROFILE itself. */
  profile?: string;
  /** --at: every window ends here instead of now. */
  at?: Date;
  /** --probe-timeout; a probe's own timeoutMs in the runbook wins. Default 3000. */
  defaultTimeoutMs?: number;
  env: NodeJS.ProcessEnv;
  /** The wall clock (default Date.now); CloudWatch's retention rules count from it. */
  now?: () => number;
  /** --redis-url, for probes that read the cached recommendations (else MANGAOPS_REDIS_URL, else config redis.url). */
  redisUrl?: string;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** Start every probe: grouped by the reader their kinds share; one planning bug costs its probes, not the walk. */
export function readAll(requests: ProbeRequest<Probe>[], ctx: ReadContext, after: (reader: Reader) => Promise<unknown> = () => Promise.resolve()): Pending {
  const groups = new Map<Reader, ProbeRequest<Probe>[]>();
  for (const r of requests) {
    const reader = kindOf(r.probe).reader as Reader;
    groups.set(reader, [...(groups.get(reader) ?? []), r]);
  }
  const pending: Pending = new Map();
  for (const [reader, rs] of groups) {
    // A reader that must wait gets its start chained; each of its probes waits on its own promise.
    const started = after(reader).then(() => reader.read(rs, ctx));
    for (const r of rs) {
      pending.set(
        r.id,
        started.then(
          (read): Promise<Evidence> | Evidence => read.get(r.id) ?? { status: 'error', reason: `no live source reads ${r.probe.kind} probes` },
          (error: unknown) => failure(error, `reading ${rs[0]!.probe.kind}`),
        ),
      );
    }
  }
  return pending;
}

/**
 * Resolves once the process's first HTTP(S) request is on the wire: node's diagnostics channel
 * says when a request starts, and the request says when it has handed its last byte to the
 * system ('finish').
 */
export function firstRequestSent(): Promise<void> {
  return new Promise((resolve) => {
    const started = ({ request }: { request: ClientRequest }) => {
      unsubscribe('http.client.request.start', started as (message: unknown) => void);
      for (const event of ['finish', 'error', 'close']) request.once(event, () => resolve());
    };
    subscribe('http.client.request.start', started as (message: unknown) => void);
  });
}

/**
 * CloudWatch first: its one batched request carries most of the tree's probes and the first
 * cards wait for it, so its SDK client is loaded alone and its request sent; the other
 * services' clients (DynamoDB, ECS, Logs) load while it is in flight. The others go once the
 * request is out, or CloudWatch has already answered (or failed before any request), and
 * never later than half a second.
 */
function cloudWatchFirst(requests: ProbeRequest<Probe>[]): { gate: (reader: Reader) => Promise<unknown>; id?: string; answered: () => void } {
  const cloudwatch = requests.find((r) => r.probe.kind === 'metric' || r.probe.kind === 'regress');
  if (!cloudwatch || requests.every((r) => kindOf(r.probe).reader === kindOf(cloudwatch.probe).reader)) return { gate: () => Promise.resolve(), answered: () => {} };
  const first = kindOf(cloudwatch.probe).reader as Reader;
  let timer: NodeJS.Timeout | undefined;
  let answered = () => {};
  const sent = Promise.race([firstRequestSent(), new Promise((resolve) => (answered = () => resolve(undefined))), new Promise((resolve) => (timer = setTimeout(resolve, 500)))]).finally(() => clearTimeout(timer));
  return { gate: (reader) => (reader === first ? Promise.resolve() : sent), id: cloudwatch.id, answered: () => answered() };
}

export interface LiveSource extends EvidenceSource {
  readonly aws: Aws;
  /** The probe's own timeout, else the request's, else --probe-timeout, else 3 s. */
  timeoutOf(r: ProbeRequest<Probe>): number;
}

export function liveSource(aws: Aws, options: Pick<LiveSourceOptions, 'at' | 'defaultTimeoutMs' | 'now'> & { ports?: () => Ports } = {}): LiveSource {
  const who = aws.profile ? ` (profile ${aws.profile})` : '';
  const when = options.at ? ` as of ${options.at.toISOString()}` : '';
  const timeoutOf = (r: ProbeRequest<Probe>) => r.probe.timeoutMs ?? (r.timeoutMs > 0 ? r.timeoutMs : undefined) ?? options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    aws,
    name: `AWS ${aws.region}${who}${when}`,
    timeoutOf,
    async gather(requests, onSettled) {
      const now = new Date(options.now?.() ?? Date.now());
      const abandon = new AbortController();
      // The ports live as long as the gather: a Redis connection a probe made is closed at its end.
      const ports = options.ports?.() ?? livePorts({ aws, env: {}, config: {}, redisConnectTimeoutMs: REDIS_CONNECT_TIMEOUT_MS });
      const ctx: ReadContext = { ports, at: options.at ?? now, now, signal: (ms) => AbortSignal.any([AbortSignal.timeout(ms), abandon.signal]) };
      const timed = requests.map((r) => ({ ...r, timeoutMs: timeoutOf(r) }));
      const first = cloudWatchFirst(timed);
      const pending = readAll(timed, ctx, first.gate);
      if (first.id) void pending.get(first.id)?.finally(first.answered).catch(() => {});
      const out: EvidenceMap = {};
      const timers: NodeJS.Timeout[] = [];
      let running = timed.length;
      try {
        await new Promise<void>((resolve, reject) => {
          let left = timed.length;
          let stopped = false;
          if (left === 0) return resolve();
          const settle = (id: string, evidence: Evidence) => {
            if (stopped || id in out) return;
            out[id] = evidence;
            onSettled?.(id, evidence);
            if (--left === 0) resolve();
          };
          for (const r of timed) {
            const work = pending.get(r.id) ?? Promise.resolve<Evidence>({ status: 'error', reason: `no live source reads ${r.probe.kind} probes` });
            timers.push(setTimeout(() => settle(r.id, { status: 'nodata', reason: `no answer within ${seconds(r.timeoutMs)} (probe timeout)` }), r.timeoutMs));
            work.then(
              (evidence) => {
                running--;
                settle(r.id, evidence);
              },
              (error: unknown) => {
                running--;
                if (error instanceof CredentialsFailure) {
                  stopped = true;
                  reject(credentialsError(error.cause, aws));
                } else {
                  settle(r.id, { status: 'error', reason: `unexpected: ${(error as Error)?.message ?? String(error)}` });
                }
              },
            );
          }
        });
      } finally {
        timers.forEach(clearTimeout);
        // Whatever is still running (a batch whose probes all timed out, a Logs Insights query)
        // is cancelled: its answer can no longer reach a card. When every read has answered
        // there is nothing to cancel, and aborting would only run every read's listeners (4 ms).
        if (running > 0) abandon.abort();
        await ports.close().catch(() => undefined);
      }
      return out;
    },
  };
}

export function createLiveSource(options: LiveSourceOptions): LiveSource {
  const aws = createAws(options);
  const ports = () => livePorts({ aws, env: options.env, config: options.config, redisUrl: options.redisUrl, redisConnectTimeoutMs: REDIS_CONNECT_TIMEOUT_MS });
  return liveSource(aws, { ...options, ports });
}
