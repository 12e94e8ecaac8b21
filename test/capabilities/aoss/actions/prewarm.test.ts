// aoss.prewarm against a local HTTP server standing in for the collection endpoint: every
// query arrives SigV4-signed for service 'aoss' (by @opensearch-project/opensearch's signer),
// one at a time, and each query's latency is reported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aossPrewarm, DEFAULT_QUERIES } from '../../../../src/capabilities/aoss/actions/prewarm.js';
import { PartialApplyError } from '../../../../src/capabilities/action.js';
import { mockAws, type MockedAws } from '../../../helpers/aws-mocks.js';
import { fakeActionContext, testConfig } from '../../../helpers/run-context.js';

let aws: MockedAws;
beforeEach(async () => {
  aws = await mockAws();
});
afterEach(() => aws.restore());

describe('aoss.prewarm', () => {
  it('plans the built-in shopper queries against the collection endpoint, reading only', async () => {
    const plan = await aossPrewarm.plan({ collection: 'manga-products' }, fakeActionContext(aws.ports));
    expect(plan.summary).toBe(`Run ${DEFAULT_QUERIES.length} representative queries against manga-products/manga-products`);
    expect(plan.undo).toBeUndefined();
    expect(plan.cli[0]).toContain('curl --aws-sigv4 "aws:amz:ap-northeast-1:aoss"');
    expect(aws.search.requests).toEqual([]);
  });

  it('sends each query signed for aoss, one at a time, and reports each latency', async () => {
    const ctx = fakeActionContext(aws.ports);
    const plan = await aossPrewarm.plan({ collection: 'manga-products', queries: ['isekai', '{"size":5,"query":{"knn":{"embedding":{"vector":[0.1,0.2],"k":5}}}}'] }, ctx);
    const result = await aossPrewarm.apply(plan, ctx);
    expect(aws.search.requests.map((r) => [r.method, r.url])).toEqual([
      ['POST', '/manga-products/_search'],
      ['POST', '/manga-products/_search'],
    ]);
    for (const r of aws.search.requests) expect(r.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-northeast-1\/aoss\/aws4_request/);
    expect(JSON.parse(aws.search.requests[0]!.body)).toEqual({ size: 10, query: { simple_query_string: { query: 'isekai' } } });
    expect(JSON.parse(aws.search.requests[1]!.body)).toEqual({ size: 5, query: { knn: { embedding: { vector: [0.1, 0.2], k: 5 } } } });
    expect(result.changed).toEqual([expect.stringMatching(/^isekai: \d+ ms \(3 hits\)$/), expect.stringMatching(/^\{"size":5,"query":\{"knn":\{"embedding":\{"vecto\.\.\.: \d+ ms \(3 hits\)$/)]);
    expect(ctx.lines).toHaveLength(2);
  });

  it('takes its queries from config aoss.prewarmQueries when none are given', async () => {
    const ctx = fakeActionContext(aws.ports, { config: { ...testConfig, aoss: { ...testConfig.aoss, prewarmQueries: ['one piece', 'berserk'] } } });
    const plan = await aossPrewarm.plan({ collection: 'manga-products' }, ctx);
    expect(plan.summary).toBe('Run 2 representative queries against manga-products/manga-products');
  });

  it('GIVEN a query fails THEN the rest still run, and the failure lists which did and did not', async () => {
    aws.search.failOn.add(2);
    const ctx = fakeActionContext(aws.ports);
    const plan = await aossPrewarm.plan({ collection: 'manga-products', queries: ['a', 'b', 'c'] }, ctx);
    const error = (await aossPrewarm.apply(plan, ctx).catch((e: unknown) => e)) as PartialApplyError;
    expect(error).toBeInstanceOf(PartialApplyError);
    expect(error.changed).toHaveLength(2);
    expect(error.unchanged).toEqual([expect.stringMatching(/^b: ResponseError/)]);
    expect(aws.search.requests).toHaveLength(3);
  });

  it('GIVEN Ctrl-C after the first query THEN no other is sent, and the failure says which ran and which did not', async () => {
    const stop = new AbortController();
    const ctx = fakeActionContext(aws.ports);
    const plan = await aossPrewarm.plan({ collection: 'manga-products', queries: ['a', 'b', 'c'] }, ctx);
    const interrupted = { ...ctx, stopping: stop.signal, progress: (line: string) => (ctx.progress(line), stop.abort()) };
    const error = (await aossPrewarm.apply(plan, interrupted).catch((e: unknown) => e)) as PartialApplyError;
    expect(error).toBeInstanceOf(PartialApplyError);
    expect(error.message).toBe('prewarm stopped by the interruption after 1 of 3 queries');
    expect(error.changed).toEqual([expect.stringMatching(/^a: \d+ ms/)]);
    expect(error.unchanged).toEqual(['b: not run', 'c: not run']);
    expect(aws.search.requests).toHaveLength(1);
  });
});
