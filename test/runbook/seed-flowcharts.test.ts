// Every labelled edge of every flowchart in the seed is in `graph --format mermaid` of its
// scenario: the source node's text contains the seed's source text, the edge label the
// seed's label, the target node's text the seed's target text. The expected edges are the
// project's own test data (test/data/seed-flowcharts), since a clone has no ../shared.
// Edges the data marks as additions (dashed) never count as the seed's. Where two flowcharts
// of one scenario order the same checks differently, one tree cannot draw both orders
// directly: the test data names the nodes such an edge passes through (`via`, with `why`),
// and the test finds exactly that chain, its first step carrying the seed's label.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRunbook } from '../../src/runbook/catalog.js';
import { loadConfig } from '../../src/core/config.js';
import { toMermaid } from '../../src/runbook/graph.js';

interface SeedEdge { from: string; label: string | null; to: string; via?: string[]; why?: string }
interface SeedFile { scenario: number; flowcharts: { name: string; edges: SeedEdge[] }[] }

const dir = join(import.meta.dirname, '..', 'data', 'seed-flowcharts');
const normalise = (s: string) => s.replace(/<br\s*\/?>/g, ' ').replace(/#quot;/g, '"').replace(/"/g, '').replace(/\s+/g, ' ').trim();

/** Parse the mermaid we print back into nodes and edges. */
export function parseMermaid(text: string) {
  const nodes = new Map<string, string>();
  const edges: { from: string; to: string; label: string | null; added: boolean }[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    const edge = /^(\w+) (-->|-\.->)(?:\|"(.*)"\|)? (\w+)$/.exec(line);
    if (edge) {
      edges.push({ from: edge[1]!, label: edge[3] === undefined ? null : normalise(edge[3]), to: edge[4]!, added: edge[2] === '-.->' });
      continue;
    }
    const node = /^(\w+)[[{]"(.*)"[\]}]$/.exec(line);
    if (node) nodes.set(node[1]!, normalise(node[2]!));
  }
  return { nodes, edges };
}

const config = await loadConfig();
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('seed flowcharts inside the runbooks', () => {
  it('covers the five scenarios and the rollout procedure', () => {
    expect(files.map((f) => f.replace('.json', '')).sort()).toEqual(
      ['first-token', 'prompt-regression', 'prompt-rollout', 'rag-timeout', 'stale-precompute', 'websocket-drop'],
    );
  });

  for (const file of files) {
    const id = file.replace('.json', '');
    const seed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SeedFile;
    for (const chart of seed.flowcharts) {
      const labelled = chart.edges.filter((e) => e.label !== null);
      it(`${id}: "${chart.name}" — all ${labelled.length} labelled edges (and the unlabelled ones) are in the graph`, async () => {
        const { runbook } = await findRunbook(id, config);
        const { nodes, edges: all } = parseMermaid(toMermaid(runbook));
        const edges = all.filter((g) => !g.added);
        const text = (id: string) => nodes.get(id) ?? '';
        const labelOk = (e: SeedEdge, g: { label: string | null }) => e.label === null || (g.label ?? '').includes(normalise(e.label));
        // From a node holding `texts[0]`, one edge at a time through nodes holding each next text.
        const chain = (at: string, texts: string[]): boolean =>
          texts.length === 0 || edges.some((g) => g.from === at && text(g.to).includes(normalise(texts[0]!)) && chain(g.to, texts.slice(1)));
        const found = (e: SeedEdge) =>
          edges.some((g) => text(g.from).includes(normalise(e.from)) && labelOk(e, g) && text(g.to).includes(normalise(e.via?.[0] ?? e.to)) && chain(g.to, [...(e.via ?? []).slice(1), ...(e.via ? [e.to] : [])]));
        // Unlabelled seed edges may pass through an extension node or be merged into one node's text.
        const viaMerge = (e: SeedEdge) => [...nodes.values()].some((t) => t.includes(normalise(e.from)) && t.includes(normalise(e.to)));
        expect(labelled.filter((e) => !found(e))).toEqual([]);
        expect(chart.edges.filter((e) => e.label === null && !found(e) && !viaMerge(e))).toEqual([]);
      });
    }
  }
});
