// aoss.prewarm: run representative queries against the collection so OpenSearch Serverless
// scales search up before the traffic does (the seed's medium-term fix, run now), signed
// with SigV4 for service 'aoss'; report each query's latency. The queries come from
// --queries, else config aoss.prewarmQueries, else a built-in set of shopper questions. A
// query is text (a simple_query_string search) or a JSON search body (for k-NN queries,
// which need the application's embeddings).
import { z } from 'zod';
import { UsageError } from '../../../core/errors.js';
import { defineAction, PartialApplyError } from '../../action.js';
import { str } from '../../iam.js';
import { name } from '../../params.js';
import { collectionResource, requireCollection } from '../common.js';

/** What MangaAssist shoppers ask (the seed's own example first). */
export const DEFAULT_QUERIES = [
  'What shonen manga should I read?',
  'manga like Demon Slayer',
  'best isekai manga for beginners',
  'new volumes released this week',
  'completed romance manga under 10 volumes',
  'dark fantasy seinen recommendations',
  'sports manga box set',
  'One Piece latest volume',
];

interface Before {
  endpoint: string;
  index: string;
  bodies: Record<string, unknown>[];
  labels: string[];
}

function queryBody(q: unknown): Record<string, unknown> {
  if (q && typeof q === 'object' && !Array.isArray(q)) return q as Record<string, unknown>;
  const text = String(q);
  if (text.trim().startsWith('{')) {
    try {
      return JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new UsageError(`prewarm query is not valid JSON: ${(e as Error).message}`, 'pass text, or a whole search body as JSON');
    }
  }
  return { size: 10, query: { simple_query_string: { query: text } } };
}

function label(q: unknown): string {
  const text = typeof q === 'string' ? q : JSON.stringify(q);
  return text.length > 48 ? `${text.slice(0, 45)}...` : text;
}

export const aossPrewarm = defineAction({
  name: 'aoss.prewarm',
  describe: 'run representative queries (SigV4, service aoss) so search OCUs scale up now; report each latency',
  params: z.strictObject({ collection: name, index: name.optional(), queries: z.array(z.string()).optional() }),
  defaults: { collection: '${aoss.collection}', index: '${aoss.index}' },
  async plan(p, ctx) {
    const aoss = await ctx.ports.aoss();
    const collection = await requireCollection(aoss, p.collection);
    const configured = ctx.config.aoss?.prewarmQueries;
    const queries: unknown[] = p.queries?.length ? p.queries : configured?.length ? configured : DEFAULT_QUERIES;
    const index = p.index ?? ctx.config.aoss?.index ?? p.collection;
    const bodies = queries.map(queryBody);
    const endpoint = collection.endpoint ?? '';
    const region = ctx.config.region ?? '<region>';
    const notes = [
      'Reads only: nothing to undo. The queries make OpenSearch Serverless scale search OCUs up now, within the limits aoss.capacity sets.',
      'Queries run one at a time, so each latency is that of a lone query. By hand: one curl (7.75+) per query, as above for the first.',
    ];
    if (!configured?.length && !p.queries?.length) notes.push('Built-in text queries; set aoss.prewarmQueries in the config (text or k-NN search bodies) for your own.');
    return {
      action: 'aoss.prewarm',
      params: p,
      summary: `Run ${bodies.length} representative queries against ${p.collection}/${index}`,
      changes: [{ what: `search traffic on ${p.collection}`, to: `${bodies.length} queries, one at a time` }],
      calls: [`POST /${index}/_search × ${bodies.length}, SigV4 (service aoss), on ${endpoint || '<collection endpoint>'}`],
      cli: [
        [
          `curl --aws-sigv4 "aws:amz:${region}:aoss" \\`,
          `    --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \\`,
          `    -H "x-amz-security-token: $AWS_SESSION_TOKEN" \\`,
          `    -H 'content-type: application/json' \\`,
          `    -d '${JSON.stringify(bodies[0]).replace(/'/g, `'\\''`)}' \\`,
          `    ${endpoint}/${index}/_search`,
        ].join('\n'),
      ],
      notes,
      blocked: !endpoint ? `${p.collection} has no endpoint yet (status ${collection.status})` : collection.status !== 'ACTIVE' ? `${p.collection} is ${collection.status}, not ACTIVE` : undefined,
      before: { endpoint, index, bodies, labels: queries.map(label) } satisfies Before,
    };
  },
  resource: collectionResource,
  iamWrites(params, iam) {
    const id = str(params, 'collection') === iam.config.aoss?.collection ? iam.config.aoss?.collectionId : undefined;
    iam.allow('AossFindCollection', ['aoss:BatchGetCollection'], ['*']);
    iam.allow('AossPrewarmQueries', ['aoss:APIAccessAll'], [iam.arn.collection(id ?? '*')]);
    iam.note("aoss.prewarm: the collection's data access policy must also grant this principal aoss:ReadDocument on the index");
  },
  async apply(plan, ctx) {
    const { endpoint, index, bodies, labels } = plan.before;
    const aoss = await ctx.ports.aoss();
    const ok: string[] = [];
    const failed: string[] = [];
    const results: { query: string; ms?: number; took?: number; hits?: number; error?: string }[] = [];
    for (const [i, body] of bodies.entries()) {
      const query = labels[i]!;
      // Interrupted: no new query; what ran is said, and the rest as not run.
      if (ctx.stopping?.aborted) throw new PartialApplyError(`prewarm stopped by the interruption after ${i} of ${bodies.length} queries`, ok, [...failed, ...labels.slice(i).map((q) => `${q}: not run`)]);
      try {
        const r = await aoss.search(endpoint, index, body);
        results.push({ query, ...r });
        ok.push(`${query}: ${r.ms} ms${r.hits !== undefined ? ` (${r.hits} hits)` : ''}`);
        ctx.progress(`query ${i + 1}/${bodies.length}: ${r.ms} ms — ${query}`);
      } catch (e) {
        const error = `${(e as Error).name}: ${(e as Error).message}`;
        results.push({ query, error });
        failed.push(`${query}: ${error}`);
        ctx.progress(`query ${i + 1}/${bodies.length}: failed — ${query}`);
      }
    }
    if (failed.length) throw new PartialApplyError(`${failed.length} of ${bodies.length} prewarm queries failed`, ok, failed);
    const times = results.map((r) => r.ms ?? 0).sort((a, b) => a - b);
    return { calls: [`POST ${endpoint}/${index}/_search × ${bodies.length}`], changed: ok, detail: { queries: results, medianMs: times[Math.floor(times.length / 2)], maxMs: times.at(-1) } };
  },
});
