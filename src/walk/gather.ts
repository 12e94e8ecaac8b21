// Fetch once, walk instantly: every probe of the tree starts together before the first
// question, each under its own timeout; what is still pending is shown as it lands.
import type { Io } from '../cli/io.js';
import type { EvidenceMap } from '../engine/evidence.js';
import type { EvidenceSource, ProbeRequest } from '../probes/port.js';
import type { Runbook } from '../runbook/schema.js';

export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

export function probeRequests(runbook: Runbook, defaultTimeoutMs = DEFAULT_PROBE_TIMEOUT_MS): ProbeRequest[] {
  return Object.entries(runbook.probes).map(([id, probe]) => ({ id, probe, timeoutMs: probe.timeoutMs ?? defaultTimeoutMs }));
}

export async function gatherEvidence(
  runbook: Runbook,
  source: EvidenceSource,
  io: Io,
  defaultTimeoutMs?: number,
): Promise<{ evidence: EvidenceMap; ms: number }> {
  const requests = probeRequests(runbook, defaultTimeoutMs);
  const pending = new Set(requests.map((r) => r.id));
  const started = io.now();
  const live = io.interactive;
  const show = () => {
    const rest = [...pending];
    const names = rest.slice(0, 4).join(', ') + (rest.length > 4 ? `, +${rest.length - 4}` : '');
    const line = `gathering evidence from ${source.name}: ${requests.length - rest.length}/${requests.length}${rest.length ? ` (waiting for ${names})` : ''}`;
    io.stderr.write(`\r\x1b[2K${line.length < io.columns ? line : line.slice(0, io.columns - 2) + '…'}`);
  };
  if (live) show();
  else io.stderr.write(`gathering ${requests.length} probes from ${source.name}\n`);
  const evidence = await source.gather(requests, (id) => {
    pending.delete(id);
    if (live) show();
  });
  const ms = io.now() - started;
  if (live) io.stderr.write('\n');
  const missing = Object.values(evidence).filter((e) => e.status !== 'ok').length;
  io.stderr.write(`evidence: ${requests.length - missing} of ${requests.length} probes answered${missing ? `, ${missing} without data` : ''} (${ms} ms)\n`);
  return { evidence, ms };
}
