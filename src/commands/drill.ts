// `mangaops drill <scenario>`: the diagnose walk on a drill case's simulated evidence.
// No AWS client is ever constructed: the evidence is in the runbook, and actions plan
// against the simulated platform and stop there.
import { UsageError } from '../core/errors.js';
import { fmtSpan } from '../core/time.js';
import type { Io } from '../core/io.js';
import { didYouMean } from '../core/suggest.js';
import { prepareJournal } from '../journal/journal.js';
import type { DrillCase, Runbook } from '../runbook/schema.js';
import { style } from '../ui/style.js';
import { screenOf, type Screen } from '../ui/screen.js';
import { wrap, wrapLines } from '../ui/wrap.js';
import { gatherEvidence } from '../walk/gather.js';
import { simulatedPortsLazy } from '../walk/ports.js';
import { announceStart, assertCanWalk, exitCodeOf, runWalk, type WalkFlags, type WalkRequest } from '../walk/run.js';
import { scoreDrill, type DrillScore } from '../walk/score.js';
import { drillSource } from '../walk/sources.js';
import { trackNew } from '../team/session.js';
import { drillWatch } from '../walk/watch-setup.js';
import { DrillWorld } from '../walk/world.js';
import { runbookFor, type CommonOptions } from './context.js';
import { openTeamFor, whoOf, withTeam } from './team-context.js';
import { endWalk, newJournal, walkStream } from './walk-stream.js';

export interface DrillOptions extends CommonOptions, WalkFlags {
  scenario: string;
  case?: string;
  random?: boolean;
  list?: boolean;
}

function pickCase(rb: Runbook, options: DrillOptions, random: () => number): { drill: DrillCase; hidden: boolean } {
  if (rb.drills.length === 0) throw new UsageError(`${rb.id} has no drill cases`);
  if (options.case) {
    const drill = rb.drills.find((d) => d.name === options.case);
    if (!drill) {
      const names = rb.drills.map((d) => d.name);
      throw new UsageError(`no drill case '${options.case}' in ${rb.id}${didYouMean(options.case, names)}`, `cases: ${names.join(', ')}`);
    }
    return { drill, hidden: false };
  }
  return { drill: rb.drills[Math.floor(random() * rb.drills.length)]!, hidden: true };
}

function printCases(rb: Runbook, io: Io, json: boolean) {
  const rows = rb.drills.map((d) => ({ name: d.name, description: d.description, expect: d.expect, outcome: (rb.nodes[d.expect] as { title?: string })?.title ?? d.expect }));
  if (json) return io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  const c = style(screenOf(io).color);
  const width = Math.max(...rows.map((r) => r.name.length));
  for (const r of rows) io.stdout.write(wrap(`${c.bold(r.name.padEnd(width))}  ${r.description || r.outcome}`, io.columns, '', ' '.repeat(width + 2)) + '\n');
}

export function printScore(score: DrillScore, rb: Runbook, hidden: boolean, screen: Screen) {
  const c = style(screen.color);
  const title = (id: string | null) => (id ? (rb.nodes[id] as { title?: string }).title ?? id : 'none');
  const lines = ['', c.bold('Drill score')];
  if (hidden) lines.push(`  case: ${c.bold(score.case)} (drawn at random)`);
  lines.push(
    score.correct
      ? `  ${c.green('✓')} reached the expected diagnosis: ${title(score.expected)}`
      : `  ${c.red('✗')} reached "${title(score.reached)}"; the case expected "${title(score.expected)}"`,
  );
  if (score.timeToDiagnosisMs !== null) lines.push(`  time to diagnosis: ${(score.timeToDiagnosisMs / 1000).toFixed(1)} s`);
  lines.push(`  overrides: ${score.overrides}${score.astray.length ? c.yellow(`, ${score.astray.length} led astray`) : ''}`);
  for (const a of score.astray) lines.push(c.yellow(`    at ${a.node}: chose "${a.chose}", the evidence said "${a.evidence}"`));
  lines.push(`  your answers: ${score.answers.length ? c.yellow(`${score.answers.length} differed from the case's`) : 'as the case would answer them'}`);
  for (const a of score.answers) {
    const led = a.ledTo ? (rb.nodes[a.ledTo] as { title?: string; question?: string; text?: string }) : undefined;
    const where = led ? led.title ?? led.question ?? led.text ?? a.ledTo : 'the end of the walk';
    lines.push(c.yellow(`    at ${a.node} ("${a.question}"): you answered "${a.chose}", the case "${a.case}" — it led to "${where}"`));
  }
  lines.push(`  fixes chosen: ${score.stepsChosen} of ${score.stepsOffered} offered (${score.stepsChosen ? "applied to the drill's world only" : 'planned only'}: a drill touches nothing real)`);
  if (score.timeToRecoveryS !== null) lines.push(`  time to recovery: ${fmtSpan(score.timeToRecoveryS * 1000)} after the first fix (simulated)`);
  else if (score.wrongFixes.length) lines.push(`  ${c.red('✗')} not recovered`);
  if (score.wrongFixes.length || score.timeToRecoveryS !== null) {
    lines.push(`  wrong fixes applied: ${score.wrongFixes.length}${score.wrongFixes.length ? c.yellow(` (${score.wrongFixes.map((w) => `step ${w.step} ${w.action}: ${w.status === 'worse' ? 'worse' : 'did not recover'}`).join('; ')})`) : ''}`);
  }
  screen.report.write(wrapLines(lines.join('\n'), screen.columns) + '\n');
}

export async function drill(options: DrillOptions, io: Io, random: () => number = Math.random): Promise<number> {
  const { config, loaded } = await runbookFor(options.scenario, options, io);
  const rb = loaded.runbook;
  if (options.list) {
    printCases(rb, io, Boolean(options.json));
    return 0;
  }
  assertCanWalk(io, options, rb);
  prepareJournal(options.journal, io.env);
  const { drill: chosen, hidden: drawn } = pickCase(rb, options, random);
  const hidden = drawn && io.interactive && !options.json;
  const stream = walkStream(io, rb, options.json);
  const c = style(stream.screen.color);
  stream.screen.report.write(wrap(`${c.bold(`DRILL ${rb.id}`)}: ${rb.title}`, io.columns, '', '  ') + '\n');
  stream.screen.report.write(wrap(hidden ? 'A case drawn at random; its name stays hidden until the end. Nothing real is touched.' : `case ${chosen.name}. Nothing real is touched.`, io.columns, '') + '\n');
  const source = drillSource(chosen);
  const shown = hidden ? { ...source, name: 'a hidden drill case' } : source;
  const opening = openTeamFor(options, config, io);
  const startedAt = io.now();
  const { evidence, ms } = await gatherEvidence(rb, shown, stream.events, io.now);
  // A game day is the team's too: with a team table, a drill is shared like any incident.
  return withTeam(opening, async (team) => {
    // A drill touches nothing real: its journal is written without an fsync per record.
    const journal = await newJournal(stream, io, rb.id, options.journal, `mangaops drill ${rb.id}`, false);
    trackNew(team, journal);
    let score: DrillScore | undefined;
    const req: WalkRequest = {
      io,
      loaded,
      kind: 'drill',
      flags: options,
      incident: journal.incident,
      journalFile: journal.file,
      ...stream,
      evidence,
      evidenceMs: ms,
      sourceName: source.name,
      drillCase: chosen.name,
      ports: simulatedPortsLazy(config),
      config,
      recorded: { auto: Boolean(options.auto), answers: options.answer ?? [], ...(options.apply && { apply: true }) },
      // In --auto the case's own answers play the human; at a terminal the human answers.
      defaultAnswers: chosen.answers,
      observations: chosen.observations,
      finish: (output) => ({ score: (score = scoreDrill(rb, chosen, evidence, output, startedAt)) }),
      // The case's world: a confirmed fix moves its probes over simulated minutes, and the watch follows.
      watch: drillWatch(new DrillWorld(rb, chosen, startedAt), options),
    };
    announceStart(req, whoOf(team, io));
    const result = await runWalk(req, startedAt);
    // Scored once, when the end is journaled; an aborted walk journals no score.
    score ??= scoreDrill(rb, chosen, evidence, result.output, startedAt);
    if (result.end !== 'aborted') printScore(score, rb, hidden, stream.screen);
    endWalk(io, req, result, stream.screen, options.json, { drill: { case: chosen.name, expected: chosen.expect, score } });
    return result.end === 'aborted' ? exitCodeOf(result) : score.correct ? 0 : 1;
  });
}
