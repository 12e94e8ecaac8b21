// The flags every walk takes, and what is checked of them before any evidence is gathered: a
// module of its own so that diagnose can check them and start its reads before the walk's
// machinery has loaded.
import { UsageError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import { didYouMean } from '../core/suggest.js';
import type { Answers } from '../engine/cursor.js';
import type { Runbook } from '../runbook/schema.js';

export interface WalkFlags {
  auto?: boolean;
  json?: boolean;
  answer?: string[];
  journal?: string;
  dryRun?: boolean;
  yes?: boolean;
  /** Each fix's stage deadlines, in milliseconds (over config `deadlines`). */
  planTimeout?: number;
  applyTimeout?: number;
  verifyTimeout?: number;
  /** Drills: confirm every fix of the reached outcome in the drill's world (never anything real). */
  apply?: boolean;
  /** false with --no-watch: applied fixes are not watched for recovery. */
  watch?: boolean;
  /** --watch-interval, in milliseconds (default 60 s). */
  watchInterval?: number;
}

/** --answer node=choice (repeatable; a node given twice gets one answer per visit). */
export function parseAnswers(list: string[] = []): Answers {
  const answers: Record<string, string[]> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--answer takes node=choice, got "${item}"`, 'e.g. --answer check-pool="No - pings failing" (the node id is in [brackets] on its card)');
    const node = item.slice(0, eq).trim();
    (answers[node] ??= []).push(item.slice(eq + 1).trim());
  }
  return Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/** Written once: without a terminal the walk never prompts, so it must be told so. */
export function assertCanWalk(io: Pick<Io, 'interactive'>, flags: WalkFlags, runbook?: Runbook): { auto: boolean } {
  const auto = Boolean(flags.auto || flags.json);
  // A bad --answer is a usage error before any evidence is gathered or journaled.
  const answers = parseAnswers(flags.answer);
  if (runbook) {
    const questions = Object.keys(runbook.nodes).filter((id) => runbook.nodes[id]!.type === 'decision');
    for (const node of Object.keys(answers)) {
      if (!questions.includes(node)) throw new UsageError(`--answer ${node}=…: ${runbook.id} has no question '${node}'${didYouMean(node, questions)}`, `mangaops graph ${runbook.id} --format text shows the node ids in {braces}`);
    }
  }
  if (!io.interactive && !auto) {
    throw new UsageError('no terminal to ask questions on', 'pass --auto to follow the evidence (and --answer node=choice for human questions), or --json for a machine result');
  }
  return { auto };
}
