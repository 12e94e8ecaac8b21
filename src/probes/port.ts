// The evidence port: the walk asks a source for every probe of a tree at once. The drill
// source answers from a drill case; the live source (AWS) plugs in behind the same shape.
import type { Evidence } from '../engine/evidence.js';
import type { Probe } from '../runbook/schema.js';

export interface ProbeRequest {
  id: string;
  probe: Probe;
  timeoutMs: number;
}

export interface EvidenceSource {
  /** Human name for the card footer: "drill case cold-connections", "AWS ap-northeast-1". */
  readonly name: string;
  /**
   * Gather the given probes. Never rejects: a failure is that probe's `error` / `nodata`.
   * `onSettled` reports each probe as it lands, so the screen can show what is pending.
   */
  gather(requests: ProbeRequest[], onSettled?: (id: string, evidence: Evidence) => void): Promise<Record<string, Evidence>>;
}
