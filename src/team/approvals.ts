// The two-person rule: an action the config's `approvals:` names stops after its plan until
// enough other engineers have approved that very plan — the action, its parameters and what it
// would change (from → to). The approvals live in the team table, one item per engineer and
// step; an approval of a plan whose before-state has changed since no longer counts.
import { createHash } from 'node:crypto';
import { MangaopsError, NeedsHumanError, UsageError } from '../core/errors.js';
import type { Approval, ApprovalEvent, Events } from '../events/events.js';
import type { GuardedStep } from '../runner/runner.js';
import type { ApprovalItem } from './store.js';
import { tableError, type Team } from './team.js';

/** Sorted keys, so the same parameters always hash the same. */
function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  return v;
}

/** What an approval is of: the action, its parameters and the plan's changes, from → to. */
export function approvalKeyOf(action: string, params: Record<string, unknown>, changes: { what: string; from?: string; to: string }[]): string {
  const text = JSON.stringify([action, stable(params), changes.map((c) => [c.what, c.from ?? null, c.to])]);
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** One approval per engineer. */
function byPerson(items: ApprovalItem[]): Approval[] {
  const seen = new Map<string, Approval>();
  for (const a of items) if (!seen.has(a.by)) seen.set(a.by, { by: a.by, at: a.at, step: a.step, ...(a.note !== undefined && { note: a.note }) });
  return [...seen.values()];
}

export interface ApprovalOptions {
  team?: Team;
  events: Events;
  approvals: Record<string, number>;
}

export async function checkApprovals(o: ApprovalOptions, s: GuardedStep): Promise<void> {
  const needed = o.approvals[s.action] ?? 0;
  if (!needed) return;
  const { team } = o;
  const plural = needed === 1 ? 'approval' : 'approvals';
  if (!team) {
    throw new UsageError(
      `${s.action} needs ${needed} ${plural} (config approvals), and approvals need the team table: none is configured`,
      'set team.table in the config (or MANGAOPS_TEAM_TABLE) and run mangaops team init; or take the action out of approvals',
    );
  }
  const me = team.identity.id;
  let all: ApprovalItem[];
  try {
    all = await team.store.approvals(s.incident);
  } catch (e) {
    team.unreachable(e);
    throw new MangaopsError(`${s.action} needs ${needed} ${plural}, and the team table ${team.table} cannot be reached to check them (${tableError(e)}). Nothing was changed.`, 1, 'try again when the table answers');
  }
  const key = approvalKeyOf(s.action, s.params, s.plan.changes);
  // Approving one's own step does not count: the one who applies is not the second person.
  const valid = byPerson(all.filter((a) => a.key === key && a.by !== me));
  const emit = (status: ApprovalEvent['status'], approvals: Approval[], message?: string) =>
    o.events.emit({ type: 'approval', status, step: s.step, action: s.action, needed, by: me, approvals, ...(message && { message }) });
  if (valid.length >= needed) {
    emit('granted', valid);
    return;
  }
  const stale = all.some((a) => a.action === s.action && a.key !== key);
  const why = stale ? 'an earlier approval was of a plan whose before-state has changed since' : undefined;
  emit('requested', valid, why);
  throw new NeedsHumanError(
    `needs approval: mangaops approve ${s.incident} ${s.step}`,
    `${s.action} needs ${needed} ${plural} from another engineer (config approvals)${valid.length ? `; ${valid.length} so far` : ''}${why ? `; ${why}` : ''}. Once approved: mangaops resume ${s.incident} --yes`,
  );
}
