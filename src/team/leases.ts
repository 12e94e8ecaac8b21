// A lease on the resource a step changes: a conditional put on LEASE#<resource> that succeeds
// only when the item is absent or expired, renewed by a heartbeat while the step runs and
// deleted when it ends. A crashed holder stops renewing and its lease expires. Someone else
// holding it: refused at once, naming who, which incident and step, since and until when — or,
// with --wait, polled until it is free or the wait is over; a plan made before the wait is
// checked again after it.
import { randomUUID } from 'node:crypto';
import { MangaopsError } from '../core/errors.js';
import type { Events, LeaseEvent, LeaseHolder } from '../events/events.js';
import type { GuardedStep } from '../runner/runner.js';
import type { LeaseItem } from './store.js';
import { tableError, type Team } from './team.js';

export interface LeaseOptions {
  team?: Team;
  events: Events;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** --wait: seconds to wait for a lease someone else holds (0: refuse at once). */
  waitSeconds: number;
  /** false with --no-lock: go on without a lease when the table cannot be reached. */
  lock: boolean;
}

export interface HeldLease {
  release(): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const hms = (isoTime: string) => `${isoTime.slice(11, 19)} UTC`;
const NONE: HeldLease = { release: async () => {} };

/** "orchestrator is being changed by alice@laptop (incident …, step 2: ecs.scale) since 20:17:04 UTC; lease until 20:19:04 UTC". */
export function heldMessage(name: string, h: LeaseHolder): string {
  return `${name} is being changed by ${h.holder} (incident ${h.incident}, step ${h.step}: ${h.action}) since ${hms(h.since)}; lease until ${hms(h.until)}`;
}

function holderOf(l: LeaseItem): LeaseHolder {
  return { holder: l.holder, incident: l.incident, step: l.step, action: l.action, since: l.since, until: iso(l.until) };
}

/** What a plan would change, to tell whether it still holds after a wait. */
const changesOf = (plan: GuardedStep['plan']) => JSON.stringify(plan.changes.map((c) => [c.what, c.from ?? null, c.to]));

export async function takeLease(o: LeaseOptions, s: GuardedStep): Promise<HeldLease> {
  const { team } = o;
  // No team table: no lease, as before there was one.
  if (!team) return NONE;
  // Only the driver changes things: one who was taken over or handed over stops here.
  await team.driving.get(s.incident)?.confirm();
  const me = team.identity.id;
  const { leaseMs } = team.settings;
  const emit = (status: LeaseEvent['status'], extra: Partial<LeaseEvent> = {}) =>
    o.events.emit({ type: 'lease', status, step: s.step, action: s.action, resource: s.resource.key, name: s.resource.name, by: me, ...extra });
  const deadline = o.now() + o.waitSeconds * 1000;
  // A short lease is polled more often, a long one at most a second apart: each try is one
  // conditional put (a refused one costs a write unit too).
  const poll = Math.min(1000, Math.max(100, leaseMs / 50));
  let waited = false;
  for (;;) {
    const now = o.now();
    const lease: LeaseItem = { resource: s.resource.key, name: s.resource.name, holder: me, incident: s.incident, step: s.step, action: s.action, since: iso(now), until: now + leaseMs, token: randomUUID() };
    let result: Awaited<ReturnType<Team['store']['acquireLease']>>;
    try {
      result = await team.store.acquireLease(lease, now);
    } catch (e) {
      team.unreachable(e);
      const why = `the team table ${team.table} cannot be reached (${tableError(e)})`;
      if (!o.lock) {
        emit('unlocked', { message: why });
        return NONE;
      }
      throw new MangaopsError(`${s.resource.name} was not changed: no lease could be taken on it, ${why}`, 1, 'try again when the table answers, or pass --no-lock to apply without a lease (journaled with a warning)');
    }
    if (result.taken) {
      emit('taken', { until: iso(lease.until) });
      const held = holdLease(o, team, lease, emit);
      if (waited) await checkUnchanged(s, held);
      return held;
    }
    const heldBy = holderOf(result.holder);
    const left = deadline - o.now();
    if (left <= 0) {
      emit('refused', { heldBy });
      throw new MangaopsError(
        `${heldMessage(s.resource.name, heldBy)} — ${waited ? `waited ${o.waitSeconds} s` : '--wait to wait'}`,
        1,
        `mangaops follow ${heldBy.incident} shows what they are doing; mangaops incidents lists who changes what`,
      );
    }
    if (!waited) emit('waiting', { heldBy, message: `waiting up to ${o.waitSeconds} s` });
    waited = true;
    // Jittered, so a crowd of waiters does not knock in step.
    await o.sleep(Math.min(left, poll * (0.5 + Math.random())));
  }
}

/** After a wait, someone else may have changed the resource: the plan confirmed must still be the plan. */
async function checkUnchanged(s: GuardedStep, held: HeldLease): Promise<void> {
  let now: GuardedStep['plan'];
  try {
    now = await s.replan();
  } catch (e) {
    await held.release();
    throw e;
  }
  if (changesOf(now) === changesOf(s.plan)) return;
  await held.release();
  const was = s.plan.changes.map((c) => `${c.what} ${c.from ?? '?'} → ${c.to}`).join(', ');
  const is = now.changes.map((c) => `${c.what} ${c.from ?? '?'} → ${c.to}`).join(', ') || (now.noop ? 'nothing left to change' : 'no change');
  throw new MangaopsError(`${s.resource.name} changed while you waited for it: the plan was ${was}; now it would be ${is}. Nothing was changed.`, 1, 'plan it again and look before you apply');
}

function holdLease(o: LeaseOptions, team: Team, lease: LeaseItem, emit: (status: LeaseEvent['status'], extra?: Partial<LeaseEvent>) => void): HeldLease {
  const { leaseMs } = team.settings;
  let lost = false;
  const timer = setInterval(() => {
    team.store.renewLease(lease.resource, lease.token, o.now() + leaseMs).then(
      (ok) => {
        if (ok || lost) return;
        lost = true;
        emit('lost', { message: 'it expired before a heartbeat got through, and someone else may hold it now' });
      },
      (e) => team.unreachable(e),
    );
  }, Math.max(50, leaseMs / 3));
  timer.unref();
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      // Journaled before the delete: the journaled interval lies inside the real one.
      emit('released');
      await team.store.releaseLease(lease.resource, lease.token).catch((e) => team.unreachable(e));
    },
  };
}
