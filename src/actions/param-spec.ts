// What each action's parameters look like, read off its zod schema: for `act --list`, for
// flag parsing, and for refusals that say what to pass. One source — params.ts — so the
// list, the parser and lint never disagree.
import type { z } from 'zod';
import { actionParams, type ActionName } from './params.js';

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

export function paramSpecs(action: ActionName): ParamSpec[] {
  const shape = (actionParams[action] as unknown as z.ZodObject).shape as Record<string, unknown>;
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
export function usageLine(action: ActionName, defaulted: Iterable<string> = []): string {
  const optional = new Set(defaulted);
  const parts = paramSpecs(action).map((p) => {
    const text = `${p.flag} ${placeholderOf(p.kind)}`;
    return p.required && !optional.has(p.name) ? text : `[${text}]`;
  });
  return `mangaops act ${action} ${parts.join(' ')}`;
}
