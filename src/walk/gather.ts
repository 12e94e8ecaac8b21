// Fetch once, walk instantly: every probe of the tree starts together before the first
// question, each under its own timeout; each lands as an event, so the screen can show what is
// still pending and the journal keeps what was gathered.
import type { ProbeRequest } from '../capabilities/probe-kind.js';
import type { Probe } from '../capabilities/probes.js';
import type { EvidenceMap } from '../core/evidence.js';
import type { Events } from '../events/events.js';
import type { Runbook } from '../runbook/schema.js';
import type { EvidenceSource } from './sources.js';

const DEFAULT_PROBE_TIMEOUT_MS = 3000;

function probeRequests(runbook: Runbook, defaultTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS): ProbeRequest<Probe>[] {
  return Object.entries(runbook.probes).map(([id, probe]) => ({ id, probe, timeoutMs: probe.timeoutMs ?? defaultTimeoutMs }));
}

export async function gatherEvidence(
  runbook: Runbook,
  source: EvidenceSource,
  events: Events,
  now: () => number,
  defaultTimeoutMs?: number,
): Promise<{ evidence: EvidenceMap; ms: number }> {
  const requests = probeRequests(runbook, defaultTimeoutMs);
  const pending = new Set(requests.map((r) => r.id));
  const started = now();
  events.emit({ type: 'evidence.started', source: source.name, ids: [...pending] });
  const evidence = await source.gather(requests, (id) => {
    pending.delete(id);
    events.emit({ type: 'evidence.settled', id, pending: [...pending], total: requests.length });
  });
  const ms = now() - started;
  return { evidence, ms };
}
