// aoss.capacity: OpenSearch Serverless search capacity limits.
// - The collection is in a collection group: UpdateCollectionGroup with the group's limits,
//   minSearchCapacityInOCU raised (the seed's "min OCUs 2 → 6"). The group is updated by id,
//   with every limit it has, so nothing else is reset.
// - It is not: only the account's maximum exists (UpdateAccountSettings
//   maxSearchCapacityInOCU); the plan says plainly that there is no minimum to raise.
// The seed's `aws opensearchserverless update-collection --id …` cannot do either: that API
// takes only a description. Undo: the previous limits.
import { z } from 'zod';
import { UsageError } from '../../../core/errors.js';
import { sh } from '../../../core/shell.js';
import { defineAction, type ActionContext, type Change, type Plan } from '../../action.js';
import { ocu, name } from '../../params.js';
import { waitUntil } from '../../wait.js';
import { collectionResource, requireCollection } from '../common.js';
import type { AccountCapacityLimits, GroupCapacityLimits } from '../port.js';

const Params = z
  .strictObject({ collection: name, minSearchOCU: ocu.optional(), maxSearchOCU: ocu.optional() })
  .refine((p) => p.minSearchOCU !== undefined || p.maxSearchOCU !== undefined, 'give minSearchOCU or maxSearchOCU');
type Params = z.output<typeof Params>;

type Before =
  | { scope: 'group'; groupId: string; groupName: string; limits: GroupCapacityLimits; currentSearchOCU?: number }
  | { scope: 'account'; limits: AccountCapacityLimits };

type Target = { scope: 'group'; limits: GroupCapacityLimits } | { scope: 'account'; limits: AccountCapacityLimits };

const show = (n: number | undefined) => (n === undefined ? '(unset)' : String(n));

function entries(limits: object): [string, unknown][] {
  return Object.entries(limits).filter(([, v]) => v !== undefined);
}

/** For the API-call line: spaces, so it wraps. */
function limitsText(limits: object): string {
  return entries(limits)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
}

/** For the pasteable command: JSON, one limit a line inside the quotes. */
function limitsJson(limits: object): string {
  return `'{\n${entries(limits)
    .map(([k, v]) => `      "${k}": ${v}`)
    .join(',\n')}\n    }'`;
}

function undoParams(collection: string, before: { minSearchCapacityInOCU?: number; maxSearchCapacityInOCU?: number }, target: { minSearchCapacityInOCU?: number; maxSearchCapacityInOCU?: number }) {
  const params: Record<string, unknown> = { collection };
  if (before.minSearchCapacityInOCU !== undefined && before.minSearchCapacityInOCU !== target.minSearchCapacityInOCU) params.minSearchOCU = before.minSearchCapacityInOCU;
  if (before.maxSearchCapacityInOCU !== undefined && before.maxSearchCapacityInOCU !== target.maxSearchCapacityInOCU) params.maxSearchOCU = before.maxSearchCapacityInOCU;
  return Object.keys(params).length > 1 ? params : undefined;
}

const targets = new WeakMap<Plan<Params, Before>, Target>();

async function planGroup(p: Params, groupName: string, ctx: ActionContext): Promise<Plan<Params, Before>> {
  const aoss = await ctx.ports.aoss();
  const group = await aoss.getCollectionGroup(groupName);
  if (!group) throw new UsageError(`collection group '${groupName}' of ${p.collection} not found`);
  const old = group.capacityLimits;
  const limits: GroupCapacityLimits = { ...old };
  if (p.minSearchOCU !== undefined) limits.minSearchCapacityInOCU = p.minSearchOCU;
  if (p.maxSearchOCU !== undefined) limits.maxSearchCapacityInOCU = p.maxSearchOCU;
  const changes: Change[] = [];
  if (limits.minSearchCapacityInOCU !== old.minSearchCapacityInOCU) changes.push({ what: `${group.name} minSearchCapacityInOCU`, from: show(old.minSearchCapacityInOCU), to: show(limits.minSearchCapacityInOCU) });
  if (limits.maxSearchCapacityInOCU !== old.maxSearchCapacityInOCU) changes.push({ what: `${group.name} maxSearchCapacityInOCU`, from: show(old.maxSearchCapacityInOCU), to: show(limits.maxSearchCapacityInOCU) });
  const min = limits.minSearchCapacityInOCU;
  const max = limits.maxSearchCapacityInOCU;
  const notes = [
    `${p.collection} is in collection group ${group.name}: its limits apply to every collection in the group.`,
    'A minimum keeps those OCUs running — and billed per OCU-hour — until it is lowered again: undo after the peak.',
  ];
  if (group.currentSearchOCU !== undefined) notes.push(`The group runs ${group.currentSearchOCU} search OCU(s) now.`);
  const undo = undoParams(p.collection, old, limits);
  const plan: Plan<Params, Before> = {
    action: 'aoss.capacity',
    params: p,
    summary: `Set ${group.name}'s search capacity to min ${show(min)} / max ${show(max)} OCUs`,
    changes,
    calls: [`OpenSearchServerless UpdateCollectionGroup id=${group.id} capacityLimits={${limitsText(limits)}}`],
    cli: [`aws opensearchserverless update-collection-group --id ${sh(group.id)} \\\n    --capacity-limits ${limitsJson(limits)}`],
    undo: undo && { action: 'aoss.capacity', params: undo, text: `put ${group.name} back to min ${show(old.minSearchCapacityInOCU)} / max ${show(old.maxSearchCapacityInOCU)} search OCUs` },
    notes,
    noop: changes.length === 0,
    blocked: min !== undefined && max !== undefined && min > max ? `the minimum (${min}) would be above the maximum (${max}): pass --max-search-ocu ${min} or more as well` : undefined,
    before: { scope: 'group', groupId: group.id, groupName: group.name, limits: old, currentSearchOCU: group.currentSearchOCU },
    check: `aws opensearchserverless batch-get-collection-group --names ${sh(group.name)} --query 'collectionGroupDetails[0].capacityLimits'`,
  };
  targets.set(plan, { scope: 'group', limits });
  return plan;
}

async function planAccount(p: Params, ctx: ActionContext): Promise<Plan<Params, Before>> {
  const aoss = await ctx.ports.aoss();
  const old = await aoss.getAccountSettings();
  const wanted = p.maxSearchOCU ?? p.minSearchOCU!;
  const onlyMin = p.maxSearchOCU === undefined;
  const current = old.maxSearchCapacityInOCU;
  // Asked for a minimum: the best the account can do is let search scale at least that far.
  const raise = onlyMin ? current === undefined || wanted > current : wanted !== current;
  const limits: AccountCapacityLimits = { ...old, maxSearchCapacityInOCU: raise ? wanted : current };
  const notes = [
    `${p.collection} is not in a collection group, and only a collection group has a minimum: there is no minimum search capacity to raise.`,
    `What the account has is a maximum (UpdateAccountSettings maxSearchCapacityInOCU, for every collection in the account and region): raising it lets search scale further, it does not keep OCUs warm — pre-warm with mangaops act aoss.prewarm.`,
  ];
  if (onlyMin && !raise) notes.push(`The account maximum is already ${current} ≥ ${wanted}: nothing to raise.`);
  const undo = current !== undefined && raise ? { action: 'aoss.capacity' as const, params: { collection: p.collection, maxSearchOCU: current }, text: `put the account's maximum search capacity back to ${current} OCUs` } : undefined;
  if (raise && current === undefined) notes.push('The account had no maximum set: mangaops cannot put "unset" back; undo by hand.');
  const plan: Plan<Params, Before> = {
    action: 'aoss.capacity',
    params: p,
    summary: raise ? `Set the account's maximum search capacity to ${wanted} OCUs (no minimum exists outside a collection group)` : `Leave the account's maximum search capacity at ${show(current)} OCUs`,
    changes: raise ? [{ what: 'account maxSearchCapacityInOCU', from: show(current), to: String(wanted) }] : [],
    calls: [`OpenSearchServerless UpdateAccountSettings capacityLimits={${limitsText(limits)}}`],
    cli: [`aws opensearchserverless update-account-settings \\\n    --capacity-limits ${limitsJson(limits)}`],
    undo,
    notes,
    noop: !raise,
    blocked: raise && wanted < 2 ? 'the account maximum search capacity is at least 2 OCUs' : undefined,
    before: { scope: 'account', limits: old },
    check: `aws opensearchserverless get-account-settings --query 'accountSettingsDetail.capacityLimits'`,
  };
  targets.set(plan, { scope: 'account', limits });
  return plan;
}

export const aossCapacity = defineAction({
  name: 'aoss.capacity',
  describe: 'OpenSearch Serverless search OCUs: the collection group\'s min/max (UpdateCollectionGroup), else the account max (UpdateAccountSettings)',
  params: Params,
  defaults: { collection: '${aoss.collection}' },
  async plan(p, ctx) {
    const aoss = await ctx.ports.aoss();
    const collection = await requireCollection(aoss, p.collection);
    return collection.collectionGroupName ? planGroup(p, collection.collectionGroupName, ctx) : planAccount(p, ctx);
  },
  resource: collectionResource,
  iamWrites(_params, iam) {
    iam.allow('AossCapacity', ['aoss:BatchGetCollection', 'aoss:BatchGetCollectionGroup', 'aoss:GetAccountSettings', 'aoss:UpdateAccountSettings', 'aoss:UpdateCollectionGroup'], ['*']);
  },
  async apply(plan, ctx) {
    const target = targets.get(plan);
    if (!target) throw new Error('aoss.capacity: apply without its plan');
    const aoss = await ctx.ports.aoss();
    const before = plan.before;
    if (target.scope === 'group' && before.scope === 'group') await aoss.updateCollectionGroup(before.groupId, target.limits);
    else await aoss.updateAccountSettings(target.limits);
    return { calls: plan.calls, changed: plan.changes.map((c) => `${c.what} ${c.from} → ${c.to}`), detail: { limits: target.limits } };
  },
  async reread(plan, ctx) {
    const target = targets.get(plan)!;
    const before = plan.before;
    const aoss = await ctx.ports.aoss();
    const now = before.scope === 'group' ? (await aoss.getCollectionGroup(before.groupName))?.capacityLimits ?? {} : await aoss.getAccountSettings();
    const wanted = target.limits as Record<string, number | undefined>;
    const read = now as Record<string, number | undefined>;
    const keys = ['minSearchCapacityInOCU', 'maxSearchCapacityInOCU'].filter((k) => wanted[k] !== undefined);
    const observed = keys.map((k) => `${k} ${show(read[k])}`).join(', ');
    const changed = plan.changes.map((c) => `${c.what} ${c.from} → ${c.to}`);
    if (keys.every((k) => read[k] === wanted[k])) return { state: 'applied', observed, changed, unchanged: [], detail: { limits: target.limits } };
    return { state: 'not applied', observed, changed: [], unchanged: plan.changes.map((c) => `${c.what} still ${show(read[c.what.split(' ').pop()!])}`) };
  },
  async verify(plan, ctx) {
    const target = targets.get(plan)!;
    const before = plan.before;
    const aoss = await ctx.ports.aoss();
    if (target.scope === 'account') {
      return waitUntil(ctx, 'account capacity limits', async () => {
        const now = await aoss.getAccountSettings();
        return { done: now.maxSearchCapacityInOCU === target.limits.maxSearchCapacityInOCU, status: `account maxSearchCapacityInOCU ${show(now.maxSearchCapacityInOCU)}` };
      });
    }
    const name = before.scope === 'group' ? before.groupName : '';
    const min = target.limits.minSearchCapacityInOCU;
    // Took when the group reports the new limits and — where it reports its capacity — runs at least the minimum.
    return waitUntil(ctx, `${name} search capacity`, async () => {
      const g = await aoss.getCollectionGroup(name);
      const l = g?.capacityLimits ?? {};
      const limitsOk = l.minSearchCapacityInOCU === min && l.maxSearchCapacityInOCU === target.limits.maxSearchCapacityInOCU;
      const capacityOk = g?.currentSearchOCU === undefined || min === undefined || g.currentSearchOCU >= min;
      const running = g?.currentSearchOCU !== undefined ? `, running ${g.currentSearchOCU} search OCU(s)` : '';
      return { done: limitsOk && capacityOk, status: `${name} min ${show(l.minSearchCapacityInOCU)} / max ${show(l.maxSearchCapacityInOCU)}${running}` };
    }, 15_000);
  },
});
