// The same failure behind many probes — the network gone, a denied role — said once, with
// what to check, instead of once per card.
import type { EvidenceMap } from '../core/evidence.js';

export interface FailureGroup {
  reason: string;
  count: number;
  hint?: string;
}

export function groupedFailures(evidence: EvidenceMap): FailureGroup[] {
  const counts = new Map<string, number>();
  for (const e of Object.values(evidence)) if (e.status !== 'ok') counts.set(e.reason, (counts.get(e.reason) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n > 1)
    .map(([reason, count]) => ({ reason, count, ...(reason.startsWith('cannot reach AWS') && { hint: 'VPN, proxy, or AWS_ENDPOINT_URL?' }) }));
}
