// Simulated evidence from a drill case. No AWS, no network: the values are in the runbook.
import type { Datapoint, Evidence } from '../engine/evidence.js';
import { reduceSeries } from '../engine/reduce.js';
import type { DrillCase, Probe, SimulatedEvidence } from '../runbook/schema.js';
import { regressionEvidence } from './regression.js';
import type { EvidenceSource, ProbeRequest } from './port.js';

export function simulate(probe: Probe, sim: SimulatedEvidence | undefined): Evidence {
  if (sim === undefined) return { status: 'nodata', reason: 'the drill case gives no value' };
  if (typeof sim === 'number' || typeof sim === 'boolean' || typeof sim === 'string') return { status: 'ok', value: sim };
  if (Array.isArray(sim)) {
    const datapoints: Datapoint[] = sim.map((v) => ({ v }));
    const reduce = probe.kind === 'metric' ? probe.reduce : 'latest';
    return { status: 'ok', value: reduceSeries(sim, reduce)!, datapoints };
  }
  if ('nodata' in sim) return { status: 'nodata', reason: sim.nodata };
  if ('error' in sim) return { status: 'error', reason: sim.error };
  if (probe.kind !== 'regress') return { status: 'error', reason: 'before/after samples only fit a regress probe' };
  return regressionEvidence(probe, sim.before, sim.after);
}

export function drillEvidence(probes: Record<string, Probe>, drill: DrillCase): Record<string, Evidence> {
  return Object.fromEntries(Object.entries(probes).map(([id, probe]) => [id, simulate(probe, drill.evidence[id])]));
}

export class DrillSource implements EvidenceSource {
  readonly name: string;
  constructor(private readonly drill: DrillCase) {
    this.name = `drill case ${drill.name}`;
  }

  async gather(requests: ProbeRequest[], onSettled?: (id: string, evidence: Evidence) => void): Promise<Record<string, Evidence>> {
    const out: Record<string, Evidence> = {};
    for (const { id, probe } of requests) {
      out[id] = simulate(probe, this.drill.evidence[id]);
      onSettled?.(id, out[id]);
    }
    return out;
  }
}
