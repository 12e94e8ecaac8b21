// Shared fixtures for the live-probe tests: probes with the schema's defaults, requests, a
// live source on the real SDK clients (mocked per test with aws-sdk-client-mock).
import { Probe } from '../../src/runbook/schema.js';
import type { ProbeRequest } from '../../src/capabilities/probe-kind.js';
import { createAws } from '../../src/capabilities/aws.js';
import { liveSource, type LiveSource } from '../../src/walk/live-source.js';
import type { Evidence } from '../../src/core/evidence.js';

export const config = { region: 'ap-northeast-1' };

export function probe(input: Record<string, unknown>): Probe {
  return Probe.parse(input);
}

export function metric(metricName: string, extra: Record<string, unknown> = {}): Probe {
  return probe({ kind: 'metric', namespace: 'MangaAssist/Streaming', metric: metricName, stat: 'p95', ...extra });
}

export function requests(probes: Record<string, Probe>, timeoutMs = 3000): ProbeRequest<Probe>[] {
  return Object.entries(probes).map(([id, p]) => ({ id, probe: p, timeoutMs }));
}

export function source(options: { at?: Date; defaultTimeoutMs?: number; profile?: string; now?: () => number } = {}): LiveSource {
  return liveSource(createAws({ config, env: {}, ...(options.profile && { profile: options.profile }) }), options);
}

/** Gather and also record the order in which cards landed. */
export async function gatherAll(src: LiveSource, reqs: ProbeRequest<Probe>[]) {
  const order: string[] = [];
  const evidence = await src.gather(reqs, (id) => order.push(id));
  return { evidence, order };
}

export function ok(e: Evidence | undefined): Extract<Evidence, { status: 'ok' }> {
  if (!e || e.status !== 'ok') throw new Error(`expected ok evidence, got ${JSON.stringify(e)}`);
  return e;
}

/** Minute-aligned timestamps ending just before `at`, oldest first. */
export function minutes(at: Date, n: number, period = 60): Date[] {
  const end = Math.floor(at.getTime() / (period * 1000)) * period * 1000;
  return Array.from({ length: n }, (_, i) => new Date(end - (n - 1 - i) * period * 1000));
}
