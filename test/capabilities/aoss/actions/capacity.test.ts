// aoss.capacity on aws-sdk-client-mock over the real OpenSearch Serverless client.
// GIVEN the collection in a collection group THEN UpdateCollectionGroup (by id) raises
// minSearchCapacityInOCU and keeps every other limit; GIVEN it is not THEN
// UpdateAccountSettings raises the maximum, and the plan says there is no minimum to raise.
import {
  BatchGetCollectionCommand,
  BatchGetCollectionGroupCommand,
  GetAccountSettingsCommand,
  UpdateAccountSettingsCommand,
  UpdateCollectionGroupCommand,
} from '@aws-sdk/client-opensearchserverless';
import { afterEach, describe, expect, it } from 'vitest';
import { aossCapacity } from '../../../../src/capabilities/aoss/actions/capacity.js';
import { VerifyTimeout } from '../../../../src/capabilities/wait.js';
import { mockAws, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext } from '../../../helpers/run-context.js';

let aws: MockedAws;
afterEach(() => aws.restore());

const group = (min: number, current: number) => ({
  collectionGroupDetails: [{ id: 'cg0manga', name: 'manga-group', capacityLimits: { minSearchCapacityInOCU: min, maxSearchCapacityInOCU: 10, minIndexingCapacityInOCU: 2, maxIndexingCapacityInOCU: 8 }, currentCapacity: { search: { capacityInOcu: current } } }],
});

describe('aoss.capacity, collection in a collection group', () => {
  it('looks the collection and its group up by name, and plans UpdateCollectionGroup by id with every limit kept (min 2 → 6)', async () => {
    aws = await mockAws({ inGroup: true });
    const plan = await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 6 }, fakeActionContext(aws.ports));
    expect(aws.aoss.commandCalls(BatchGetCollectionCommand)[0]!.args[0].input).toEqual({ names: ['manga-products'] });
    expect(aws.aoss.commandCalls(BatchGetCollectionGroupCommand)[0]!.args[0].input).toEqual({ names: ['manga-group'] });
    expect(plan.changes).toEqual([{ what: 'manga-group minSearchCapacityInOCU', from: '2', to: '6' }]);
    expect(plan.calls).toEqual(['OpenSearchServerless UpdateCollectionGroup id=cg0manga capacityLimits={minSearchCapacityInOCU: 6, maxSearchCapacityInOCU: 10, minIndexingCapacityInOCU: 2, maxIndexingCapacityInOCU: 8}']);
    expect(plan.cli[0]).toContain('aws opensearchserverless update-collection-group --id cg0manga');
    expect(plan.undo).toEqual({ action: 'aoss.capacity', params: { collection: 'manga-products', minSearchOCU: 2 }, text: 'put manga-group back to min 2 / max 10 search OCUs' });
    expect(aws.mutations()).toEqual([]);
  });

  it('applies exactly that request, then waits until the group reports the limits and runs at least the minimum', async () => {
    aws = await mockAws({ inGroup: true });
    aws.aoss.on(UpdateCollectionGroupCommand).resolves({ updateCollectionGroupDetail: { id: 'cg0manga', name: 'manga-group' } });
    aws.aoss.on(BatchGetCollectionGroupCommand).resolvesOnce(group(2, 2)).resolvesOnce(group(6, 2)).resolvesOnce(group(6, 4)).resolves(group(6, 6));
    const ctx = fakeActionContext(aws.ports);
    const plan = await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 6 }, ctx);
    await aossCapacity.apply(plan, ctx);
    expect(aws.aoss.commandCalls(UpdateCollectionGroupCommand).map((c) => c.args[0].input)).toEqual([
      { id: 'cg0manga', capacityLimits: { minSearchCapacityInOCU: 6, maxSearchCapacityInOCU: 10, minIndexingCapacityInOCU: 2, maxIndexingCapacityInOCU: 8 } },
    ]);
    expect(await aossCapacity.verify!(plan, ctx)).toBe('manga-group min 6 / max 10, running 6 search OCU(s)');
    expect(ctx.lines).toEqual(['manga-group min 6 / max 10, running 2 search OCU(s) — waiting 0s of 10m', 'manga-group min 6 / max 10, running 4 search OCU(s) — waiting 15s of 10m']);
  });

  it('verify gives up at the deadline when the capacity does not come', async () => {
    aws = await mockAws({ inGroup: true });
    aws.aoss.on(BatchGetCollectionGroupCommand).resolvesOnce(group(2, 2)).resolves(group(6, 2));
    const ctx = fakeActionContext(aws.ports, { deadlineMs: 60_000 });
    const plan = await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 6 }, ctx);
    await expect(aossCapacity.verify!(plan, ctx)).rejects.toBeInstanceOf(VerifyTimeout);
    expect(ctx.elapsed()).toBe(60_000);
  });

  it('refuses a minimum above the maximum, saying what to pass', async () => {
    aws = await mockAws({ inGroup: true });
    const plan = await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 12 }, fakeActionContext(aws.ports));
    expect(plan.blocked).toBe('the minimum (12) would be above the maximum (10): pass --max-search-ocu 12 or more as well');
  });
});

describe('aoss.capacity, collection not in a group', () => {
  it('says plainly that only a collection group has a minimum, and raises the account maximum instead', async () => {
    aws = await mockAws({ inGroup: false });
    aws.aoss.on(GetAccountSettingsCommand).resolves({ accountSettingsDetail: { capacityLimits: { maxSearchCapacityInOCU: 4, maxIndexingCapacityInOCU: 4 } } });
    aws.aoss.on(UpdateAccountSettingsCommand).resolves({ accountSettingsDetail: { capacityLimits: { maxSearchCapacityInOCU: 6, maxIndexingCapacityInOCU: 4 } } });
    const ctx = fakeActionContext(aws.ports);
    const plan = await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 6 }, ctx);
    expect(plan.notes[0]).toBe('manga-products is not in a collection group, and only a collection group has a minimum: there is no minimum search capacity to raise.');
    expect(plan.changes).toEqual([{ what: 'account maxSearchCapacityInOCU', from: '4', to: '6' }]);
    expect(plan.undo).toEqual({ action: 'aoss.capacity', params: { collection: 'manga-products', maxSearchOCU: 4 }, text: "put the account's maximum search capacity back to 4 OCUs" });
    expect(aws.aoss.commandCalls(BatchGetCollectionGroupCommand)).toHaveLength(0);
    await aossCapacity.apply(plan, ctx);
    expect(aws.aoss.commandCalls(UpdateAccountSettingsCommand).map((c) => c.args[0].input)).toEqual([{ capacityLimits: { maxSearchCapacityInOCU: 6, maxIndexingCapacityInOCU: 4 } }]);
  });

  it('a minimum already within the account maximum is nothing to do', async () => {
    aws = await mockAws({ inGroup: false });
    const plan = await aossCapacity.plan({ collection: 'manga-products', minSearchOCU: 6 }, fakeActionContext(aws.ports));
    expect(plan.noop).toBe(true);
    expect(plan.notes).toContain('The account maximum is already 10 ≥ 6: nothing to raise.');
  });

  it('an unknown collection is refused before any change', async () => {
    aws = await mockAws();
    aws.aoss.on(BatchGetCollectionCommand).resolves({ collectionDetails: [], collectionErrorDetails: [{ name: 'nope', errorCode: 'NOT_FOUND' }] });
    await expect(aossCapacity.plan({ collection: 'nope', minSearchOCU: 6 }, fakeActionContext(aws.ports))).rejects.toThrow("OpenSearch Serverless collection 'nope' not found");
  });
});
