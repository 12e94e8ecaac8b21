// The runbook data model. Runbooks are data, never code: every rule below is a structured
// comparison the engine evaluates, so a YAML file cannot run anything.
import { z } from 'zod';
import '../core/zod-jitless.js';
import { duration, SimulatedEvidence } from '../capabilities/probe-kind.js';
import { Probe } from '../capabilities/probes.js';

export { Probe };
export type { SimulatedEvidence };

const id = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'ids are lower-case letters, digits, - _ .');

const ops = ['>', '>=', '<', '<=', '==', '!='] as const;
const Op = z.enum(ops);
export type Op = z.infer<typeof Op>;

export const Condition = z.strictObject({
  probe: id,
  op: Op,
  value: z.union([z.number(), z.boolean(), z.string()]),
});
export type Condition = z.infer<typeof Condition>;

export type Rule = Condition | { all: Rule[] } | { any: Rule[] } | { not: Rule };
export const Rule: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    Condition,
    z.strictObject({ all: z.array(Rule).min(1) }),
    z.strictObject({ any: z.array(Rule).min(1) }),
    z.strictObject({ not: Rule }),
  ]),
);

/** A mermaid `style` for the node, as the seed's flowchart gives it: `fill:#2ecc71,color:#000`. */
const MermaidStyle = z.string().regex(/^[a-z-]+:[#\w.%-]+(,[a-z-]+:[#\w.%-]+)*$/, 'a mermaid style such as fill:#2ecc71,color:#000');

const nodeCommon = {
  /** True where the seed trails off and the tree was completed from the scenario's own text. */
  extension: z.boolean().default(false),
  /** The seed's node name (ALARM, CHECK_POOL, …), to trace the data back to its flowchart. */
  seed: z.string().optional(),
  /** The seed's colour for this node (green actions, orange ACTION6, red ROLLBACK / REJECT). */
  style: MermaidStyle.optional(),
  note: z.string().optional(),
  /** Further probes shown on the card for context; they do not decide. */
  evidence: z.array(id).default([]),
};

export const Branch = z.strictObject({
  label: z.string().min(1),
  to: id,
  /** True for an edge no seed flowchart draws (a join between two of them, a choice added), as extension nodes are marked. */
  extension: z.boolean().optional(),
  /** check: true / false; classify: a rule, or 'otherwise'; ask: absent. */
  when: z.union([z.boolean(), z.literal('otherwise'), Rule]).optional(),
});
export type Branch = z.infer<typeof Branch>;

export const StepNode = z.strictObject({
  type: z.literal('step'),
  ...nodeCommon,
  text: z.string().min(1),
  next: id,
  /** The edge to `next` is an addition, not the seed's (see Branch.extension). */
  nextExtension: z.boolean().optional(),
});

export const DecisionNode = z.strictObject({
  type: z.literal('decision'),
  ...nodeCommon,
  question: z.string().min(1),
  decide: z.enum(['check', 'classify', 'ask']),
  /** For decide: check. */
  check: Condition.optional(),
  branches: z.array(Branch).min(2),
  /** Where a probe that gives no data sends the walk: ask the human (default) or a branch label. */
  noData: z.string().default('ask'),
});

export const ActionStep = z.strictObject({
  text: z.string().min(1),
  action: z.string().optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type ActionStep = z.infer<typeof ActionStep>;

const tiers = ['immediate', 'short-term', 'medium-term'] as const;
const Tier = z.strictObject({
  tier: z.enum(tiers),
  /** The seed's time frame: "5 min", "1 hour", "1 week". */
  timeframe: z.string().optional(),
  steps: z.array(ActionStep).min(1),
});

const Prevention = z.strictObject({
  measure: z.string(),
  owner: z.string().optional(),
  implementation: z.string().optional(),
});

/**
 * When a fix at this outcome has worked: every condition on its healthy side (a probe of the
 * tree, as a decision compares it) within the window after the fix. Without `healthy`, the
 * alarm's own probe back on its healthy side (runbook/recovery.ts says how it is found).
 */
export const Recovery = z.strictObject({
  healthy: z.array(Condition).min(1).optional(),
  /** How long after the fix the symptom may take to come back to its healthy side. */
  within: duration.default('15m'),
});
export type Recovery = z.infer<typeof Recovery>;

export const OutcomeNode = z.strictObject({
  type: z.literal('outcome'),
  ...nodeCommon,
  title: z.string().min(1),
  explanation: z.string().default(''),
  resolution: z.array(Tier).default([]),
  prevention: z.array(Prevention).default([]),
  /** What "the fix worked" means here: the recovery watch after each applied fix. */
  recovery: Recovery.optional(),
  /** An outcome may continue into a further node (scenario 5's rollback assessment). */
  next: id.optional(),
  /** The edge to `next` is an addition, not the seed's (see Branch.extension). */
  nextExtension: z.boolean().optional(),
});

export const Node = z.discriminatedUnion('type', [StepNode, DecisionNode, OutcomeNode]);
export type Node = z.infer<typeof Node>;
export type StepNode = z.infer<typeof StepNode>;
export type DecisionNode = z.infer<typeof DecisionNode>;
export type OutcomeNode = z.infer<typeof OutcomeNode>;

/** How a fix moves one probe in a drill's world: a ramp to `to` over `over`, or one value per simulated minute. */
export const Move = z.union([z.strictObject({ to: z.number(), over: duration.default('5m') }), z.strictObject({ series: z.array(z.number()).min(1) })]);
export type Move = z.infer<typeof Move>;

/**
 * What confirming a fix does to the drill's simulated world (never to anything real): the
 * probes it moves from the moment it is confirmed. A fix with no effect leaves the world as it
 * is — a wrong fix, which the recovery watch then says did not help.
 */
export const Effect = z.strictObject({
  action: z.string().min(1),
  /** Only when the fix's parameters include these (ecs.set-env with env BEDROCK_POOL_SIZE "10"). */
  params: z.record(z.string(), z.unknown()).optional(),
  moves: z.record(id, Move).default({}),
  /** Why, in the scenario's words. */
  note: z.string().optional(),
});
export type Effect = z.infer<typeof Effect>;

export const DrillCase = z.strictObject({
  name: id,
  description: z.string().default(''),
  evidence: z.record(id, SimulatedEvidence).default({}),
  /** Answers to ask-nodes (and to probe nodes whose data is missing), by node id → branch label;
   *  a list gives one answer per visit, for procedures that go round a declared loop. */
  answers: z.record(id, z.union([z.string(), z.array(z.string()).min(1)])).default({}),
  /** What the engineer would observe at each question the case answers (a drill shows it there). */
  observations: z.record(id, z.string()).default({}),
  expect: id,
  /** The nodes the walk should pass through, in order, root first. */
  path: z.array(id).optional(),
  /** A case made from a recorded incident (`journal to-case`): where it came from. */
  origin: z
    .strictObject({
      incident: z.string(),
      mode: z.string(),
      who: z.string(),
      host: z.string().optional(),
      startedAt: z.string(),
      /** sha256 of the runbook file the incident walked. */
      runbookSha256: z.string(),
      source: z.string().optional(),
      convertedBy: z.string().optional(),
      convertedAt: z.string().optional(),
    })
    .optional(),
  /** What each fix does to this case's world once confirmed (drill --apply, or yes at a terminal). */
  effects: z.array(Effect).default([]),
});
export type DrillCase = z.infer<typeof DrillCase>;

/**
 * One kind of CloudWatch alarm a runbook answers: alarms whose name matches `name` (a pattern
 * where `*` stands for any run of characters, case-sensitive as CloudWatch and EventBridge
 * compare names), and/or alarms on `metric` (in `namespace`, with at least these
 * `dimensions`). Every field given must match.
 */
export const AlarmMatcher = z
  .strictObject({
    name: z.string().min(1).optional(),
    namespace: z.string().min(1).optional(),
    metric: z.string().min(1).optional(),
    dimensions: z.record(z.string(), z.string()).optional(),
  })
  .refine((m) => m.name !== undefined || m.metric !== undefined, 'an alarm matcher needs a name pattern or a metric')
  .refine((m) => m.metric !== undefined || (m.namespace === undefined && m.dimensions === undefined), 'namespace and dimensions qualify a metric: add metric:');
export type AlarmMatcher = z.infer<typeof AlarmMatcher>;

const Loop = z.strictObject({
  from: id,
  to: id,
  why: z.string().optional(),
});

export const Runbook = z.strictObject({
  id,
  title: z.string(),
  kind: z.enum(['incident', 'procedure']).default('incident'),
  scenario: z.number().int().positive().optional(),
  severity: z.string().optional(),
  alarm: z.string().optional(),
  /** The CloudWatch alarms this runbook answers (`alarms`, `diagnose --alarm`, `on-alarm`). */
  alarms: z.array(AlarmMatcher).default([]),
  aliases: z.array(id).default([]),
  summary: z.string().default(''),
  root: id,
  probes: z.record(id, Probe).default({}),
  nodes: z.record(id, Node),
  /** Edges that close a loop on purpose (procedures only). Any other cycle is a lint error. */
  loops: z.array(Loop).default([]),
  drills: z.array(DrillCase).default([]),
});
export type Runbook = z.infer<typeof Runbook>;
