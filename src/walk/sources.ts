// Where a walk's evidence comes from: every probe of a tree asked of one source at once. The
// drill source answers from a drill case, through each probe kind's `simulate`; the live
// source (walk/live-source.ts) reads each kind through its capability's port.
import type { ProbeRequest } from '../capabilities/probe-kind.js';
import { simulateAll, type Probe } from '../capabilities/probes.js';
import type { Evidence, EvidenceMap } from '../core/evidence.js';
import type { DrillCase } from '../runbook/schema.js';

export interface EvidenceSource {
  /** Human name for the card footer: "drill case cold-connections", "AWS ap-northeast-1". */
  readonly name: string;
  /**
   * Gather the given probes. Never rejects but for credentials: a failure is that probe's
   * `error` / `nodata`. `onSettled` reports each probe as it lands, so the screen can show
   * what is pending.
   */
  gather(requests: ProbeRequest<Probe>[], onSettled?: (id: string, evidence: Evidence) => void): Promise<EvidenceMap>;
}

/** A drill case's values. No AWS, no network: the values are in the runbook. */
export function drillSource(drill: DrillCase): EvidenceSource {
  return {
    name: `drill case ${drill.name}`,
    async gather(requests, onSettled) {
      const evidence = simulateAll(Object.fromEntries(requests.map((r) => [r.id, r.probe])), drill.evidence);
      for (const r of requests) onSettled?.(r.id, evidence[r.id]!);
      return evidence;
    },
  };
}
