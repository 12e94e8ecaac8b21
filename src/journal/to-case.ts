// An incident becomes a test: its recorded evidence and the answers humans gave, as a drill
// case of its runbook whose expected outcome and path are the ones the incident reached. The
// case is replayed here before it is written — a case that would not walk where the incident
// went is refused, with the reason. Secrets and account ids in the evidence are masked. Pure:
// the command (commands/to-case.ts) reads the journal and writes the file.
import { Document, isSeq, visit } from 'yaml';
import type { SimulatedEvidence } from '../capabilities/probe-kind.js';
import { simulateAll } from '../capabilities/probes.js';
import type { Evidence } from '../core/evidence.js';
import { MangaopsError, UsageError } from '../core/errors.js';
import { maskSecrets } from '../core/mask.js';
import { walk } from '../engine/cursor.js';
import type { DrillCase, Probe, Runbook } from '../runbook/schema.js';
import { reduceSeries } from '../stats/reduce.js';
import type { EvidenceRecord, JournalRecord, NodeRecord, StartRecord } from './records.js';

/** A series longer than this is kept as its value: a case file is read by people. */
const MAX_POINTS = 120;

/** One probe's recorded evidence as a drill case gives it: the series where it reduces back to the value, else the value. */
export function simulatedOf(probe: Probe, e: Evidence): SimulatedEvidence {
  if (e.status === 'nodata') return { nodata: maskSecrets(e.reason) };
  if (e.status === 'error') return { error: maskSecrets(e.reason) };
  if (typeof e.value === 'string') return maskSecrets(e.value);
  if (typeof e.value !== 'number') return e.value;
  const series = e.datapoints?.map((d) => d.v);
  if (probe.kind === 'metric' && series?.length && series.length <= MAX_POINTS && !e.inputs) {
    const back = reduceSeries(series, probe.reduce);
    if (back !== undefined && Math.abs(back - e.value) <= 1e-9 * Math.max(1, Math.abs(e.value))) return series;
  }
  return e.value;
}

export interface IncidentCase {
  drill: DrillCase;
  /** What the file's header says about where it came from. */
  header: string[];
  /** Probes recorded but no longer in the runbook, and the like. */
  notes: string[];
}

const NAME = /^[a-z0-9][a-z0-9_.-]*$/;

export function defaultCaseName(incident: string): string {
  return `incident-${incident.slice(0, 15)}`.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
}

export function caseFromIncident(records: JournalRecord[], runbook: Runbook, options: { name?: string; convertedBy?: string; convertedAt?: string } = {}): IncidentCase {
  const start = records.find((r): r is StartRecord => r.type === 'start');
  const recorded = records.find((r): r is EvidenceRecord => r.type === 'evidence');
  if (!start || !recorded) throw new MangaopsError('the journal has no start and evidence records: nothing to make a case of');
  if (start.mode === 'act') throw new MangaopsError(`incident ${start.incident} was a single action, not a walk: it has no path to test`);
  const name = options.name ?? defaultCaseName(start.incident);
  if (!NAME.test(name)) throw new UsageError(`--name ${name}: case names are lower-case letters, digits, - _ .`);

  const nodes = records.filter((r): r is NodeRecord => r.type === 'node');
  const outcome = [...nodes].reverse().find((n) => n.nodeType === 'outcome');
  if (!outcome) {
    const end = [...records].reverse().find((r) => r.type === 'end');
    const where = end?.type === 'end' && end.message ? `: ${end.message}` : '';
    throw new MangaopsError(`incident ${start.incident} reached no diagnosis${where}`, 1, `resume it to an outcome first: mangaops resume ${start.incident}`);
  }
  const overruled = nodes.find((n) => n.by === 'override');
  if (overruled) {
    throw new MangaopsError(
      `at ${overruled.node} the engineer overruled the evidence ("${overruled.answer}" over "${overruled.suggested ?? '?'}"): ${runbook.id}'s rules would not walk this incident's path on its evidence`,
      1,
      `if the engineer was right, change the rule at ${overruled.node} so the evidence picks "${overruled.answer}", then run to-case again`,
    );
  }

  const answers: Record<string, string[]> = {};
  for (const n of nodes) if (n.nodeType === 'decision' && n.by === 'human' && n.answer !== undefined) (answers[n.node] ??= []).push(n.answer);
  const notes: string[] = [];
  const evidence: Record<string, SimulatedEvidence> = {};
  for (const [id, e] of Object.entries(recorded.evidence)) {
    const probe = runbook.probes[id];
    if (!probe) {
      notes.push(`probe ${id} was recorded but is no longer in ${runbook.id}: left out`);
      continue;
    }
    evidence[id] = simulatedOf(probe, e as Evidence);
  }
  const title = (runbook.nodes[outcome.node] as { title?: string } | undefined)?.title ?? outcome.node;
  const kind = start.mode === 'drill' ? `drill${start.drillCase ? ` (case ${start.drillCase})` : ''}` : 'incident';
  // Who walked it: with a team table, an STS ARN that holds the account id. The case is committed.
  const who = maskSecrets(start.who);
  const host = maskSecrets(start.host);
  const drill: DrillCase = {
    name,
    // What the fixes did is not in a journal: a recorded case walks, it does not react.
    effects: [],
    description: `The ${kind} ${start.incident}, walked by ${who} on ${start.at.slice(0, 10)}: ${title}.`,
    origin: {
      incident: start.incident,
      mode: start.mode,
      who,
      host,
      startedAt: start.at,
      runbookSha256: start.runbookHash,
      source: maskSecrets(start.source),
      ...(options.convertedBy && { convertedBy: maskSecrets(options.convertedBy) }),
      ...(options.convertedAt && { convertedAt: options.convertedAt }),
    },
    evidence,
    answers: Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])),
    observations: {},
    expect: outcome.node,
    path: nodes.map((n) => n.node),
  };

  // Replayed before it is written: the case must walk where the incident went, today.
  const replay = walk(runbook, simulateAll(runbook.probes, drill.evidence), drill.answers);
  const walked = replay.path.map((v) => v.node);
  if (replay.stop) throw new MangaopsError(`as a case, incident ${start.incident} stops at ${replay.stop.node}: ${replay.stop.message}`, 1, 'resume the incident to its end first, or make the case by hand');
  if (replay.outcome !== drill.expect || walked.join(' ') !== drill.path!.join(' ')) {
    const changed = start.runbookHash ? ` (the runbook's sha256 was ${start.runbookHash.slice(0, 12)} then)` : '';
    throw new MangaopsError(
      `${runbook.id} as it is now walks incident ${start.incident}'s evidence to '${replay.outcome ?? 'nothing'}' (${walked.join(' → ')}), not to '${drill.expect}' as the incident went${changed}`,
      1,
      'the runbook changed since, or a value was masked that a rule reads: make the case by hand if the new path is right',
    );
  }
  const header = [
    `From ${kind} ${start.incident}`,
    `(${start.mode}, ${who}@${host}, started ${start.at}): its recorded evidence and`,
    'human answers, so a change of the runbook that would send this incident elsewhere fails',
    '`mangaops validate`. Written by `mangaops journal to-case`; secrets and account ids masked.',
  ];
  return { drill, header, notes };
}

/** The case as a YAML file: the header as comments, series on one line each. */
export function caseYaml(c: IncidentCase): string {
  const { observations, ...rest } = c.drill;
  const doc = new Document(Object.keys(observations).length ? c.drill : rest);
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((i) => typeof (i as { value?: unknown }).value !== 'object')) node.flow = true;
    },
  });
  doc.commentBefore = c.header.map((l) => ` ${l}`).join('\n');
  return doc.toString({ lineWidth: 100 });
}
