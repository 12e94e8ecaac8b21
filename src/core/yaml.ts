// Parse YAML keeping positions, so every message can name file:line for a path in the document.
//
// js-yaml reads the text in one linear pass: its duplicate-key check is a hash lookup, where
// the `yaml` package compares each key with every earlier one (50k probes: 37 s), and it is
// several times faster on a cold start (bench/yaml.bench.ts). Its listener records where each
// node starts (yaml-positions.ts). Hostile input stops with a finding naming file and line:
// aliases that stand for more than `aliasNodes` nodes (an alias bomb), nesting deeper than
// `depth` (a file past the size limit is refused before, by source-file.ts). When js-yaml
// refuses the syntax, the `yaml` package (loaded only then) says why: its messages name the
// mistake, not where the reader gave up.
import { CORE_SCHEMA, load, YAMLException, type LoadOptions } from 'js-yaml';
import { commonJs } from './commonjs.js';
import type { Finding } from './findings.js';
import { recordPositions, type LineTree } from './yaml-positions.js';

export interface YamlSource {
  file: string;
  text: string;
  data: unknown;
  /** Syntax errors and limits crossed, already as findings. */
  errors: Finding[];
  /** The line of the deepest node that exists along `path` (1-based). */
  lineOf(path: readonly PropertyKey[]): number | undefined;
  /** Every node's line, to keep with a cached document. */
  lineTree(): LineTree | undefined;
}

export const YAML_LIMITS = {
  /** Nodes that aliases may stand for, all aliases of a file together. */
  aliasNodes: 100_000,
  depth: 100,
};

const ALIAS_MESSAGE = `by this alias, the file's aliases stand for more than ${YAML_LIMITS.aliasNodes} nodes (an alias bomb?): mangaops expands no more`;

class AliasLimit extends Error {
  constructor(readonly line: number) {
    super(ALIAS_MESSAGE);
  }
}

/** Counts what aliases expand to, each shared node once (a bomb is a small graph of big trees). */
function aliasBudget(): (target: unknown, line: number) => void {
  const sizes = new WeakMap<object, number>();
  const sizeOf = (v: unknown): number => {
    if (v === null || typeof v !== 'object') return 1;
    let n = sizes.get(v);
    if (n === undefined) {
      n = 1;
      for (const child of Object.values(v)) n += sizeOf(child);
      sizes.set(v, n);
    }
    return n;
  };
  let total = 0;
  return (target, line) => {
    total += sizeOf(target);
    if (total > YAML_LIMITS.aliasNodes) throw new AliasLimit(line);
  };
}

/** js-yaml's refusal as a finding; the `yaml` package's message for plain syntax errors. */
async function syntaxFinding(file: string, text: string, e: YAMLException): Promise<Finding> {
  const line = e.mark ? e.mark.line + 1 : undefined;
  if (e.reason === 'duplicated mapping key') return { file, line, path: '', message: 'Map keys must be unique' };
  if (e.reason.startsWith('nesting exceeded maxDepth')) return { file, line, path: '', message: `nested deeper than ${YAML_LIMITS.depth} levels` };
  if (text.length <= 1024 * 1024) {
    const { parseDocument } = commonJs(await import('yaml'));
    // uniqueKeys off: js-yaml has already found any duplicate, and yaml's check is quadratic.
    const first = parseDocument(text, { prettyErrors: true, uniqueKeys: false }).errors[0];
    if (first) return { file, line: first.linePos?.[0]?.line, path: '', message: first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '') };
  }
  return { file, line, path: '', message: e.reason };
}

export async function parseYaml(file: string, text: string): Promise<YamlSource> {
  const positions = recordPositions(text, aliasBudget());
  try {
    const options = { schema: CORE_SCHEMA, listener: positions.listener, maxDepth: YAML_LIMITS.depth } as LoadOptions;
    const data = load(text, options) ?? null;
    return { file, text, data, errors: [], lineOf: positions.lineOf, lineTree: positions.tree };
  } catch (e) {
    const error: Finding =
      e instanceof AliasLimit
        ? { file, line: e.line, path: '', message: e.message }
        : e instanceof YAMLException
          ? await syntaxFinding(file, text, e)
          : { file, path: '', message: `cannot read: ${(e as Error).message}` };
    return { file, text, data: undefined, errors: [error], lineOf: positions.lineOf, lineTree: positions.tree };
  }
}
