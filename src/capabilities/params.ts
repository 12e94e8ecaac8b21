// Action parameters: the pieces their schemas share, and what each action's parameters look
// like, read off its zod schema — for `act --list`, for flag parsing, and for refusals that say
// what to pass. One source, the action's own schema, so the list, the parser and lint never
// disagree.
import { z } from 'zod';
import type { ParamsSchema } from './action.js';

/** A name: a cluster, a table, a pattern. */
export const name = z.string().min(1);
/** A count of tasks: flags arrive as text. */
export const count = z.coerce.number().int().min(0);
/** OpenSearch Compute Units. */
export const ocu = z.coerce.number().int().min(1).max(1000);

/** string, number, a KEY=VALUE record, a repeatable list, or a scalar (number/boolean/string). */
export type ParamKind = 'string' | 'number' | 'record' | 'list' | 'scalar';

export interface ParamSpec {
  name: string;
  /** --desired-count */
  flag: string;
  kind: ParamKind;
  required: boolean;
  default?: unknown;
}

interface Def {
  type: string;
  innerType?: { _zod: { def: Def } };
  defaultValue?: unknown;
  options?: { _zod: { def: Def } }[];
}

const defOf = (t: unknown): Def => (t as { _zod: { def: Def } })._zod.def;

export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** How flags and names compare: case and dashes do not matter (--min-search-ocu = minSearchOCU). */
export function normalise(name: string): string {
  return name.replace(/^--?/, '').replace(/[-_]/g, '').toLowerCase();
}

function kindOf(def: Def): ParamKind {
  switch (def.type) {
    case 'number':
      return 'number';
    case 'record':
      return 'record';
    case 'array':
      return 'list';
    case 'union':
      return 'scalar';
    default:
      return 'string';
  }
}

/** The object schema under any refinements (a refined object keeps its shape in `in`/`schema`). */
function shapeOf(schema: ParamsSchema): Record<string, unknown> {
  let s = schema as unknown as { shape?: Record<string, unknown>; _zod: { def: { type: string; schema?: unknown; in?: unknown } } };
  while (!s.shape && (s._zod.def.schema || s._zod.def.in)) s = (s._zod.def.schema ?? s._zod.def.in) as typeof s;
  return s.shape ?? {};
}

export function paramSpecs(schema: ParamsSchema): ParamSpec[] {
  const shape = shapeOf(schema);
  return Object.entries(shape).map(([name, type]) => {
    let def = defOf(type);
    let required = true;
    let dflt: unknown;
    while (def.type === 'optional' || def.type === 'default') {
      required = false;
      if (def.type === 'default') dflt = def.defaultValue;
      def = def.innerType!._zod.def;
    }
    const spec: ParamSpec = { name, flag: `--${kebab(name)}`, kind: kindOf(def), required };
    if (dflt !== undefined) spec.default = dflt;
    return spec;
  });
}

export function placeholderOf(kind: ParamKind): string {
  return { string: '<text>', number: '<n>', record: '<KEY=VALUE>…', list: '<value>…', scalar: '<value>' }[kind];
}

/** `mangaops act ecs.scale --desired-count <n> [--cluster <name>] …` */
export function usageLine(action: { name: string; params: ParamsSchema }, defaulted: Iterable<string> = []): string {
  const optional = new Set(defaulted);
  const parts = paramSpecs(action.params).map((p) => {
    const text = `${p.flag} ${placeholderOf(p.kind)}`;
    return p.required && !optional.has(p.name) ? text : `[${text}]`;
  });
  return `mangaops act ${action.name} ${parts.join(' ')}`;
}
