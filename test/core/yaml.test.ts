// The YAML reader (js-yaml with a position listener) against the `yaml` package it replaced,
// which is kept as the oracle: on every shipped runbook and fixture, the same data, and the same
// line for every path in it — the lines every finding names.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isNode, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { runbooksDir } from '../../src/core/paths.js';
import { parseYaml } from '../../src/core/yaml.js';
import { lineInTree, type LineTree } from '../../src/core/yaml-positions.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'runbooks');
const files = [
  ...readdirSync(runbooksDir).map((f) => join(runbooksDir, f)),
  ...readdirSync(fixtures).filter((f) => f.endsWith('.yaml')).map((f) => join(fixtures, f)),
  ...readdirSync(join(fixtures, 'broken')).filter((f) => f !== 'yaml-syntax.yaml').map((f) => join(fixtures, 'broken', f)),
];

/** The positions as the yaml package's document gives them (the former lineOf). */
function oracle(text: string) {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;
  const lineOf = (path: readonly PropertyKey[]) => {
    let node: unknown = doc.contents;
    let line = isNode(node) && node.range ? lineAt(node.range[0]) : undefined;
    for (const key of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isNode(p.key) ? (p.key as { value?: unknown }).value : p.key) === key);
        if (!pair) break;
        const keyNode = pair.key as YamlNode | undefined;
        if (isNode(keyNode) && keyNode.range) line = lineAt(keyNode.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof key === 'number') {
        node = node.items[key];
        if (isNode(node) && node.range) line = lineAt(node.range[0]);
      } else break;
    }
    return line;
  };
  return { data: doc.toJS(), lineOf };
}

function* paths(value: unknown, at: PropertyKey[] = []): Generator<PropertyKey[]> {
  yield at;
  if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* paths(v, [...at, i]);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* paths(v, [...at, k]);
  // A path that goes past what exists stops at its deepest node, in both.
  if (at.length === 1) yield [...at, 'no-such-key', 0];
}

describe('the YAML reader', () => {
  it.each(files.map((f) => [f.replace(/.*\/(test|runbooks)\//, '$1/'), f]))('%s: same data and the same line for every path as the yaml package', async (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const ours = await parseYaml(file, text);
    const theirs = oracle(text);
    expect(ours.errors).toEqual([]);
    expect(ours.data).toEqual(theirs.data);
    const differing = [...paths(theirs.data)].filter((p) => ours.lineOf(p) !== theirs.lineOf(p)).map((p) => `${p.join('.')}: ${ours.lineOf(p)} vs ${theirs.lineOf(p)}`);
    expect(differing).toEqual([]);
    // The table kept in the cache answers the same, through JSON.
    const tree = JSON.parse(JSON.stringify(ours.lineTree())) as LineTree;
    const differingInTable = [...paths(theirs.data)].filter((p) => lineInTree(tree, p) !== theirs.lineOf(p)).map((p) => p.join('.'));
    expect(differingInTable).toEqual([]);
  });

  it('lines hold in flow collections, block scalars, quoted keys, anchors and comments', async () => {
    const text = [
      'a: 1 # comment', // 1
      '"quoted key": { x: 1,', // 2
      '  y: [2,', // 3
      '    3] }', // 4
      'list:', // 5
      '  # a comment before the item', // 6
      '  - text: |', // 7
      '      literal', // 8
      '  -', // 9
      '    nested: &n { z: 1 }', // 10
      '  - *n', // 11
      'empty:', // 12
      'last: [p: q, r]', // 13
    ].join('\n');
    const ours = await parseYaml('t.yaml', text);
    const theirs = oracle(text);
    expect(ours.data).toEqual(theirs.data);
    for (const p of paths(theirs.data)) expect(ours.lineOf(p), p.join('.')).toBe(theirs.lineOf(p));
    for (const p of paths(theirs.data)) expect(lineInTree(ours.lineTree(), p), p.join('.')).toBe(theirs.lineOf(p));
    expect(ours.lineOf(['quoted key', 'y', 1])).toBe(4);
    expect(ours.lineOf(['list', 1, 'nested', 'z'])).toBe(10);
  });
});
