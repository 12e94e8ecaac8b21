// Where each node of a YAML document starts, recorded while js-yaml reads it (its listener is
// told when each node opens and closes), so that a path in the data maps back to a line: the
// line of the key for a mapping entry, the line of the item for a list entry — the positions
// the `yaml` package's documents gave before (test/core/yaml.test.ts holds the two to each
// other on every path of every shipped runbook). One small record per node, no second pass.
import type { State } from 'js-yaml';

/** One node as read: where its composition began, what it turned out to be. */
interface Rec {
  line: number;
  pos: number;
  kind: string | null;
  /** Set when the node is a mapping key (a ':' follows it). */
  key?: string;
  /** Child nodes in document order (collections only). */
  items?: Rec[];
}

export interface Positions {
  /** The js-yaml listener that records the nodes. */
  listener(event: 'open' | 'close', state: State): void;
  /** The line (1-based) of the deepest node that exists along `path`. */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** Every node's line, to keep beside a cached document (see lineInTree). */
  tree(): LineTree | undefined;
}

/**
 * Every node's line, shaped as the document is: `[line]` for a leaf, `[line, {key: …}]` for a
 * mapping, `[line, [item, …]]` for a list. Kept beside a cached document (see lineInTree).
 */
export type LineTree = [number] | [number, { [key: string]: LineTree } | LineTree[]];

/** lineOf over a LineTree: the line of the deepest node that exists along `path`. */
export function lineInTree(tree: LineTree | undefined, path: readonly PropertyKey[]): number | undefined {
  if (!tree) return undefined;
  let node: LineTree = tree;
  for (const key of path) {
    const children = node[1];
    const next: LineTree | undefined = Array.isArray(children) ? (typeof key === 'number' ? children[key] : undefined) : children && Object.hasOwn(children, String(key)) ? children[String(key)] : undefined;
    if (!next) break;
    node = next;
  }
  return node[0];
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const COLON = 0x3a;
const STAR = 0x2a;

/** The next character after `pos` that is not a space or tab (-1 at the end). */
function nextOnLine(text: string, pos: number): number {
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c !== SPACE && c !== TAB) return c;
    pos++;
  }
  return -1;
}

/** Where a node's content starts: past the spaces, line breaks and comments before it. */
function contentStart(text: string, rec: Rec): { pos: number; line: number } {
  let { pos, line } = rec;
  while (pos < text.length) {
    const c = text.charCodeAt(pos);
    if (c === LF) line++;
    else if (c === HASH) {
      while (pos < text.length && text.charCodeAt(pos) !== LF) pos++;
      continue;
    } else if (c !== SPACE && c !== TAB && c !== CR) break;
    pos++;
  }
  return { pos, line };
}

export function recordPositions(text: string, onAlias: (target: unknown, line: number) => void): Positions {
  const top: Rec = { line: 0, pos: 0, kind: 'document', items: [] };
  const stack: Rec[] = [top];
  const entries = new WeakMap<Rec, Map<string, { key: Rec; value?: Rec }>>();

  function listener(event: 'open' | 'close', state: State): void {
    if (event === 'open') {
      const rec: Rec = { line: state.line, pos: state.position, kind: null };
      const parent = stack[stack.length - 1]!;
      (parent.items ??= []).push(rec);
      stack.push(rec);
      return;
    }
    const rec = stack.pop()!;
    rec.kind = state.kind ?? null;
    // A scalar's children are attempts js-yaml abandoned (a would-be key that was a value).
    if (rec.kind !== 'mapping' && rec.kind !== 'sequence') rec.items = undefined;
    if (nextOnLine(text, state.position) === COLON) rec.key = String(state.result);
    if (rec.kind === null) {
      const start = contentStart(text, rec);
      if (text.charCodeAt(start.pos) === STAR) onAlias(state.result, start.line + 1);
    }
  }

  function entriesOf(map: Rec) {
    let found = entries.get(map);
    if (found) return found;
    found = new Map();
    let last: { key: Rec; value?: Rec } | undefined;
    for (const item of map.items ?? []) {
      if (item.key !== undefined && !found.has(item.key)) found.set(item.key, (last = { key: item }));
      else if (last && !last.value) last.value = item;
    }
    entries.set(map, found);
    return found;
  }

  /** A list's items; a single-pair mapping inside a flow list (`[a: b]`) counts once. */
  function itemsOf(seq: Rec): Rec[] {
    const out: Rec[] = [];
    let skipValue = false;
    for (const item of seq.items ?? []) {
      if (skipValue) skipValue = false;
      else {
        out.push(item);
        skipValue = item.key !== undefined;
      }
    }
    return out;
  }

  function lineOf(path: readonly PropertyKey[]): number | undefined {
    const root = top.items?.[0];
    if (!root) return undefined;
    let rec: Rec = root;
    let line = contentStart(text, rec).line + 1;
    for (const key of path) {
      if (rec.kind === 'mapping') {
        const entry = entriesOf(rec).get(String(key));
        if (!entry) break;
        line = entry.key.line + 1;
        if (!entry.value) break;
        rec = entry.value;
      } else if (rec.kind === 'sequence' && typeof key === 'number') {
        const item: Rec | undefined = itemsOf(rec)[key];
        if (!item) break;
        line = contentStart(text, item).line + 1;
        rec = item;
      } else {
        break;
      }
    }
    return line;
  }

  function tree(): LineTree | undefined {
    const visit = (rec: Rec, line: number): LineTree => {
      if (rec.kind === 'mapping') {
        const children: { [key: string]: LineTree } = {};
        for (const [key, entry] of entriesOf(rec)) children[key] = entry.value ? visit(entry.value, entry.key.line + 1) : [entry.key.line + 1];
        return [line, children];
      }
      if (rec.kind === 'sequence') return [line, itemsOf(rec).map((item) => visit(item, contentStart(text, item).line + 1))];
      return [line];
    };
    const root = top.items?.[0];
    return root && visit(root, contentStart(text, root).line + 1);
  }

  return { listener, lineOf, tree };
}
