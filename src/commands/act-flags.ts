// `mangaops act <action> --<param> <value>…`: the unparsed pairs, read against the action's
// schema. Flags are the parameter names in kebab-case or camelCase (--desired-count,
// --desiredCount); records take KEY=VALUE and repeat (--env BEDROCK_POOL_SIZE=10 --env
// BEDROCK_KEEPALIVE_INTERVAL=15); lists repeat (--queries "a" --queries "b"); `--x=v` works.
// Values stay strings where the schema coerces; zod validates the result.
import type { AnyAction } from '../capabilities/actions.js';
import { normalise, paramSpecs, usageLine, type ParamSpec } from '../capabilities/params.js';
import { UsageError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';

/** A value for a number|string|boolean parameter (dynamodb.set-config --value 0.6). */
export function scalar(text: string): number | boolean | string {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

export function parseFlags(theAction: Pick<AnyAction, 'name' | 'params'>, rest: string[], defaulted: Iterable<string> = []): Record<string, unknown> {
  const action = theAction.name;
  const specs = paramSpecs(theAction.params);
  const usage = usageLine(theAction, defaulted);
  const byName = new Map(specs.map((s) => [normalise(s.name), s]));
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('--')) throw new UsageError(`${action}: unexpected argument '${token}'`, usage);
    const eq = token.indexOf('=');
    const flag = eq > 0 ? token.slice(0, eq) : token;
    const spec: ParamSpec | undefined = byName.get(normalise(flag));
    if (!spec) throw new UsageError(`${action}: unknown parameter ${flag}${didYouMean(flag.slice(2), specs.map((s) => s.flag.slice(2)))}`, usage);
    let value: string;
    if (eq > 0) value = token.slice(eq + 1);
    else {
      const next = rest[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${action}: ${spec.flag} needs a value`, usage);
      value = next;
      i++;
    }
    if (spec.kind === 'record') {
      const at = value.indexOf('=');
      if (at <= 0) throw new UsageError(`${action}: ${spec.flag} takes KEY=VALUE, got '${value}'`, `e.g. ${spec.flag} BEDROCK_POOL_SIZE=10 (repeat for several)`);
      const record = (out[spec.name] ??= {}) as Record<string, string>;
      record[value.slice(0, at)] = value.slice(at + 1);
    } else if (spec.kind === 'list') {
      ((out[spec.name] ??= []) as string[]).push(value);
    } else {
      if (seen.has(spec.name)) throw new UsageError(`${action}: ${spec.flag} given twice`, usage);
      out[spec.name] = spec.kind === 'scalar' ? scalar(value) : value;
    }
    seen.add(spec.name);
  }
  return out;
}
