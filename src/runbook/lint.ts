// The runbook's structure, what the schema cannot see: dangling and unreachable nodes,
// undeclared loops, unknown probes and actions, invalid action parameters, missing
// placeholders, malformed decisions and drill cases. Walking every drill case to its outcome
// is the engine's part (engine/lint.ts), which calls this first.
import { actionNames, getAction, isActionName } from '../capabilities/actions.js';
import type { Config } from '../core/config.js';
import { pathString, type Finding } from '../core/findings.js';
import { didYouMean } from '../core/suggest.js';
import type { ParsedRunbook, Placeholder } from './load.js';
import { lookup, substitute } from './placeholders.js';
import { hasFixes, recoveryOf } from './recovery.js';
import { conditionsAt, probesOf } from './rules.js';
import type { Condition, DecisionNode, Node, Rule, Runbook } from './schema.js';

export type Report = (path: PropertyKey[], message: string) => void;

function edges(node: Node): { to: string; path: PropertyKey[] }[] {
  if (node.type === 'decision') return node.branches.map((b, i) => ({ to: b.to, path: ['branches', i, 'to'] }));
  return node.next ? [{ to: node.next, path: ['next'] }] : [];
}

function checkPlaceholders(written: Placeholder[], config: Config, report: Report) {
  for (const { key, path } of written) {
    if (lookup(config, key) === undefined) report(path, `placeholder \${${key}} is not in the config (add it to runbooks/config.yaml or your --config file)`);
  }
}

function checkReferences(rb: Runbook, report: Report) {
  const ids = Object.keys(rb.nodes);
  if (!rb.nodes[rb.root]) report(['root'], `no node '${rb.root}'${didYouMean(rb.root, ids)}`);
  for (const [id, node] of Object.entries(rb.nodes)) {
    for (const e of edges(node)) {
      if (!rb.nodes[e.to]) report(['nodes', id, ...e.path], `no node '${e.to}'${didYouMean(e.to, ids)}`);
    }
    if (node.type !== 'decision' && node.nextExtension && !node.next) report(['nodes', id, 'nextExtension'], 'nextExtension marks the edge to next, and this node has no next');
  }
  for (const [i, loop] of rb.loops.entries()) {
    const from = rb.nodes[loop.from];
    if (!from) report(['loops', i, 'from'], `no node '${loop.from}'${didYouMean(loop.from, ids)}`);
    else if (!edges(from).some((e) => e.to === loop.to)) report(['loops', i], `'${loop.from}' has no edge to '${loop.to}' to declare as a loop`);
  }
}

function checkProbeRef(rb: Runbook, probe: string, path: PropertyKey[], report: Report) {
  if (!rb.probes[probe]) report(path, `no probe '${probe}'${didYouMean(probe, Object.keys(rb.probes))}`);
}

function checkRule(rb: Runbook, rule: Rule, path: PropertyKey[], report: Report) {
  for (const probe of probesOf(rule)) checkProbeRef(rb, probe, path, report);
}

function checkDecision(rb: Runbook, id: string, node: DecisionNode, report: Report) {
  const at = (...p: PropertyKey[]) => ['nodes', id, ...p];
  const labels = node.branches.map((b) => b.label);
  for (const [i, label] of labels.entries()) {
    if (labels.indexOf(label) !== i) report(at('branches', i, 'label'), `two branches are labelled "${label}"`);
  }
  if (node.noData !== 'ask' && !labels.includes(node.noData)) {
    report(at('noData'), `"${node.noData}" is not a branch label: use ask or one of ${labels.map((l) => `"${l}"`).join(', ')}`);
  }
  if (node.decide === 'check') {
    if (!node.check) return report(at('check'), 'a check node needs check: {probe, op, value}');
    checkProbeRef(rb, node.check.probe, at('check', 'probe'), report);
    if (typeof node.check.value !== 'number' && !['==', '!='].includes(node.check.op)) {
      report(at('check', 'op'), `'${node.check.op}' compares numbers; use == or != for ${typeof node.check.value} values`);
    }
    const whens = node.branches.map((b) => b.when);
    if (node.branches.length !== 2 || !whens.includes(true) || !whens.includes(false)) {
      report(at('branches'), 'a check has exactly two branches, one with when: true and one with when: false');
    }
  } else if (node.decide === 'classify') {
    if (node.check) report(at('check'), 'check: belongs to decide: check; a classify node puts its rules on the branches');
    const otherwise = node.branches.filter((b) => b.when === 'otherwise');
    if (otherwise.length > 1) report(at('branches'), 'at most one branch may be when: otherwise');
    node.branches.forEach((b, i) => {
      if (b.when === undefined || typeof b.when === 'boolean') report(at('branches', i, 'when'), 'a classify branch needs a rule ({probe, op, value}, all, any, not) or otherwise');
      else if (b.when !== 'otherwise') checkRule(rb, b.when, at('branches', i, 'when'), report);
    });
  } else {
    if (node.check) report(at('check'), 'an ask node is answered by a human; drop check: or use decide: check');
    node.branches.forEach((b, i) => {
      if (b.when !== undefined) report(at('branches', i, 'when'), 'an ask node\'s branches have no when: the human picks');
    });
  }
}

const DIRECTION: Partial<Record<Condition['op'], 'up' | 'down'>> = { '>': 'up', '>=': 'up', '<': 'down', '<=': 'down' };

/**
 * The card marks a value against the negation of the first rule that compares it (rules
 * name the problem). A probe compared both ways at one node makes that guess a coin toss:
 * the probe must say which side is healthy.
 */
function checkHealthySide(rb: Runbook, id: string, node: DecisionNode, report: Report) {
  const conditions = conditionsAt(node);
  const byProbe = new Map<string, Set<string>>();
  for (const c of conditions) {
    const dir = DIRECTION[c.op];
    if (dir) byProbe.set(c.probe, (byProbe.get(c.probe) ?? new Set()).add(dir));
  }
  for (const [probe, dirs] of byProbe) {
    if (dirs.size < 2 || !rb.probes[probe] || rb.probes[probe].healthy) continue;
    const both = conditions.filter((c) => c.probe === probe).map((c) => `${c.op} ${String(c.value)}`);
    report(['probes', probe], `${probe} is compared both ways at ${id} (${both.join(', ')}): say which side is healthy, e.g. healthy: "${both[0]}"`);
  }
}

function checkReachableAndLoops(rb: Runbook, report: Report) {
  if (!rb.nodes[rb.root]) return;
  const declared = new Set(rb.loops.map((l) => `${l.from}>${l.to}`));
  const state = new Map<string, 'open' | 'done'>();
  // Iterative DFS: a back edge (to a node still open) is a cycle, legal only when declared.
  const stack: { id: string; i: number }[] = [{ id: rb.root, i: 0 }];
  state.set(rb.root, 'open');
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const out = edges(rb.nodes[top.id]!);
    if (top.i >= out.length) {
      state.set(top.id, 'done');
      stack.pop();
      continue;
    }
    const e = out[top.i++]!;
    if (!rb.nodes[e.to]) continue;
    const s = state.get(e.to);
    if (s === 'open' && !declared.has(`${top.id}>${e.to}`)) {
      report(['nodes', top.id, ...e.path], `'${top.id}' → '${e.to}' closes a loop that is not declared (declare it under loops: if it is meant)`);
    } else if (s === undefined) {
      state.set(e.to, 'open');
      stack.push({ id: e.to, i: 0 });
    }
  }
  for (const id of Object.keys(rb.nodes)) {
    if (!state.has(id)) report(['nodes', id], `node '${id}' cannot be reached from the root '${rb.root}'`);
  }
}

function checkActions(written: Runbook, config: Config, report: Report) {
  for (const [id, node] of Object.entries(written.nodes)) {
    if (node.type !== 'outcome') continue;
    node.resolution.forEach((tier, t) =>
      tier.steps.forEach((step, s) => {
        const at = ['nodes', id, 'resolution', t, 'steps', s];
        if (step.action === undefined) {
          if (Object.keys(step.params).length) report([...at, 'params'], 'params without an action');
          return;
        }
        if (!isActionName(step.action)) return report([...at, 'action'], `unknown action '${step.action}'${didYouMean(step.action, actionNames)}`);
        const parsed = getAction(step.action).params.safeParse(substitute(step.params, config));
        if (!parsed.success) {
          for (const issue of parsed.error.issues) report([...at, 'params', ...issue.path], `${step.action}: ${issue.message}`);
        }
      }),
    );
  }
}

/**
 * Each outcome that offers a fix says how to tell that it worked — its own recovery: or the
 * alarm's probe with a threshold — and its conditions read probes that exist.
 */
function checkRecovery(rb: Runbook, report: Report) {
  for (const [id, node] of Object.entries(rb.nodes)) {
    if (node.type !== 'outcome') continue;
    node.recovery?.healthy?.forEach((c, i) => {
      const at = ['nodes', id, 'recovery', 'healthy', i];
      checkProbeRef(rb, c.probe, [...at, 'probe'], report);
      if (typeof c.value !== 'number' && !['==', '!='].includes(c.op)) report([...at, 'op'], `'${c.op}' compares numbers; use == or != for ${typeof c.value} values`);
    });
    if (!hasFixes(node) || node.recovery?.healthy) continue;
    const r = recoveryOf(rb, id);
    if (!r.ok) report(['nodes', id], `${r.why}: add recovery: { healthy: [{ probe, op, value }], within: 15m } to say when its fixes have worked`);
  }
}

/** A drill case's effects name actions this runbook offers and probes it defines. */
function checkEffects(rb: Runbook, d: number, report: Report) {
  const offered = new Set(Object.values(rb.nodes).flatMap((n) => (n.type === 'outcome' ? n.resolution.flatMap((t) => t.steps.flatMap((s) => (s.action ? [s.action] : []))) : [])));
  rb.drills[d]!.effects.forEach((effect, e) => {
    const at = ['drills', d, 'effects', e];
    if (!isActionName(effect.action)) report([...at, 'action'], `unknown action '${effect.action}'${didYouMean(effect.action, actionNames)}`);
    else if (!offered.has(effect.action)) report([...at, 'action'], `no outcome of ${rb.id} offers ${effect.action}${didYouMean(effect.action, [...offered])}`);
    for (const probe of Object.keys(effect.moves)) checkProbeRef(rb, probe, [...at, 'moves', probe], report);
  });
}

/** One drill case's own structure; false when it names no outcome to walk to. */
export function checkDrillCase(rb: Runbook, d: number, report: Report): boolean {
  const drill = rb.drills[d]!;
  const at = (...p: PropertyKey[]) => ['drills', d, ...p];
  if (rb.drills.findIndex((x) => x.name === drill.name) !== d) report(at('name'), `two drill cases are named '${drill.name}'`);
  for (const probe of Object.keys(drill.evidence)) checkProbeRef(rb, probe, at('evidence', probe), report);
  checkEffects(rb, d, report);
  for (const [node, answer] of Object.entries(drill.answers)) {
    const n = rb.nodes[node];
    if (n?.type !== 'decision') {
      report(at('answers', node), `no decision node '${node}'${didYouMean(node, Object.keys(rb.nodes))}`);
      continue;
    }
    for (const a of [answer].flat()) {
      if (!n.branches.some((b) => b.label === a)) report(at('answers', node), `"${a}" is not a branch of '${node}': one of ${n.branches.map((b) => `"${b.label}"`).join(', ')}`);
    }
    // A drill teaches at a question by showing what the engineer would see there. A case
    // recorded from a real incident (journal to-case) has the answer, not what was seen.
    if (!drill.origin && !drill.observations[node]?.trim()) {
      report(at('answers', node), `case '${drill.name}' answers ${node} but gives no observation: add observations: { ${node}: "what the engineer sees" }`);
    }
  }
  const answered = Object.keys(drill.answers);
  for (const node of Object.keys(drill.observations)) {
    if (answered.includes(node)) continue;
    const n = rb.nodes[node];
    // A human question the case's path passes through may carry one without an answer.
    if (n?.type === 'decision' && n.decide === 'ask' && drill.path?.includes(node)) continue;
    report(at('observations', node), `case '${drill.name}' has an observation for '${node}', which it does not answer${didYouMean(node, answered)}`);
  }
  const expected = rb.nodes[drill.expect];
  if (expected?.type === 'outcome') return true;
  report(at('expect'), `'${drill.expect}' is not an outcome node${didYouMean(drill.expect, Object.keys(rb.nodes))}`);
  return false;
}

/** The finding reporter for one loaded file: file, line and path of each message. */
export function reporter(loaded: ParsedRunbook, findings: Finding[]): Report {
  return (path, message) => {
    // A case kept in its own file is reported there, at its own line.
    const own = path[0] === 'drills' ? loaded.cases?.find((c) => c.index === path[1]) : undefined;
    if (own) return void findings.push({ file: own.file, line: own.lineOf(path.slice(2)), path: pathString(path.slice(2)), message });
    findings.push({ file: loaded.file, line: loaded.lineOf(path), path: pathString(path), message });
  };
}

export function lintStructure(loaded: ParsedRunbook, config: Config): Finding[] {
  const findings: Finding[] = [...(loaded.caseFindings ?? [])];
  const report = reporter(loaded, findings);
  const rb = loaded.runbook;
  checkPlaceholders(loaded.placeholders, config, report);
  checkReferences(rb, report);
  checkReachableAndLoops(rb, report);
  for (const [id, node] of Object.entries(rb.nodes)) {
    if (node.type === 'decision') {
      checkDecision(rb, id, node, report);
      checkHealthySide(rb, id, node, report);
    }
    for (const [i, probe] of node.evidence.entries()) checkProbeRef(rb, probe, ['nodes', id, 'evidence', i], report);
  }
  checkActions(loaded.written, config, report);
  checkRecovery(rb, report);
  return findings;
}
