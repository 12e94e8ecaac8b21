// Parameters checked against the action's own schema before anything is read, and the plan as
// the journal keeps it.
import type { ZodType } from 'zod';
import type { Plan } from '../capabilities/action.js';
import type { AnyAction } from '../capabilities/actions.js';
import { kebab, paramSpecs } from '../capabilities/params.js';
import { UsageError } from '../core/errors.js';

/** Validate against the action's zod schema; a refusal names what to pass. */
export function validateParams(action: Pick<AnyAction, 'name' | 'params'>, params: Record<string, unknown>, paramStyle: 'flag' | 'name' = 'name'): Record<string, unknown> {
  const schema: ZodType<Record<string, unknown>> = action.params;
  const parsed = schema.safeParse(params);
  if (parsed.success) return parsed.data;
  const label = (key: PropertyKey) => (paramStyle === 'flag' ? `--${kebab(String(key))}` : String(key));
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0];
    if (issue.code === 'unrecognized_keys') return `unknown parameter ${issue.keys.map(label).join(', ')}`;
    if (key === undefined) return issue.message;
    if (params[String(key)] === undefined) return `missing ${label(key)}`;
    const rest = issue.path.slice(1).map(String).join('.');
    // z.coerce turns "lots" into NaN: say what was typed, not NaN.
    const said = /received NaN$/.test(issue.message) ? `expected a number, got ${JSON.stringify(params[String(key)])}` : issue.message.replace(/^Invalid input: /, '');
    return `${label(key)}${rest ? ` (${rest})` : ''}: ${said}`;
  });
  const spec = paramSpecs(action.params)
    .map((p) => label(p.name))
    .join(', ');
  throw new UsageError(`${action.name}: ${problems.join('; ')}`, `${action.name} takes ${spec} (mangaops act --list)`);
}

/** The plan as the journal keeps it: everything the engineer was shown. */
export function planRecord(plan: Plan) {
  const { action: _a, params: _p, before: _b, ...shown } = plan;
  return shown;
}
