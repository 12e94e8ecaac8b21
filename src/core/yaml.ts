// Parse YAML keeping positions, so every message can name file:line for a path in the document.
import { LineCounter, parseDocument, isMap, isSeq, isNode, type Document, type Node as YamlNode } from 'yaml';
import type { Finding } from './findings.js';

export interface YamlSource {
  file: string;
  text: string;
  data: unknown;
  /** Syntax errors, already as findings. */
  errors: Finding[];
  /** The line of the deepest node that exists along `path` (1-based). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
}

export function parseYaml(file: string, text: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc: Document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const errors: Finding[] = doc.errors.map((e) => ({
    file,
    line: e.linePos?.[0]?.line,
    path: '',
    message: e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, ''),
  }));
  const lineAt = (offset: number) => lineCounter.linePos(offset).line;

  function lineOf(path: readonly PropertyKey[]): number | undefined {
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
      } else {
        break;
      }
    }
    return line;
  }

  return { file, text, data: errors.length ? undefined : doc.toJS(), errors, lineOf };
}
