// ${a.b} placeholders in runbook strings, resolved from the environment config. Runbooks name
// config keys by path, so this is the one place the config is read by string.
const PLACEHOLDER = /\$\{([^}]*)\}/g;

type Config = object;

export function lookup(config: Config, key: string): unknown {
  let value: unknown = config;
  for (const part of key.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function isScalar(value: unknown): value is string | number | boolean {
  return ['string', 'number', 'boolean'].includes(typeof value);
}

/** Every placeholder in a JSON-like value, with the path where it stands. */
export function placeholders(value: unknown, path: PropertyKey[] = [], out: { key: string; path: PropertyKey[] }[] = []): { key: string; path: PropertyKey[] }[] {
  // One path, pushed and popped, copied only where a placeholder stands: a runbook is mostly
  // values without one.
  if (typeof value === 'string') {
    if (value.includes('${')) for (const m of value.matchAll(PLACEHOLDER)) out.push({ key: m[1]!, path: [...path] });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      placeholders(value[i], path, out);
      path.pop();
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      path.push(k);
      placeholders(v, path, out);
      path.pop();
    }
  }
  return out;
}

/**
 * Replace placeholders throughout a value. A string that is exactly one placeholder takes
 * the config value's type (so `${ecs.scaleCapFactor}` stays a number). Unknown keys are
 * left as they are: lint reports them, with their line. What holds no placeholder is returned
 * as it is, not copied.
 */
export function substitute<T>(value: T, config: Config): T {
  if (typeof value === 'string') {
    if (!value.includes('${')) return value;
    const whole = /^\$\{([^}]*)\}$/.exec(value);
    if (whole) {
      const v = lookup(config, whole[1]!);
      return (isScalar(v) ? v : value) as T;
    }
    return value.replace(PLACEHOLDER, (m, key: string) => {
      const v = lookup(config, key);
      return isScalar(v) ? String(v) : m;
    }) as T;
  }
  if (Array.isArray(value)) {
    const out = value.map((v) => substitute(v, config));
    return (out.every((v, i) => v === value[i]) ? value : out) as T;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    const out = entries.map(([k, v]) => [k, substitute(v, config)] as const);
    return (out.every(([, v], i) => v === entries[i]![1]) ? value : Object.fromEntries(out)) as T;
  }
  return value;
}

/** Where placeholders stand in a value, each path once (a string with two is one path). */
export function placeholderPaths(value: unknown): PropertyKey[][] {
  const seen = new Set<string>();
  return placeholders(value)
    .map((p) => p.path)
    .filter((path) => !seen.has(JSON.stringify(path)) && Boolean(seen.add(JSON.stringify(path))));
}

/**
 * substitute(), told where the placeholders stand (placeholderPaths() of the same value): only
 * those paths are walked and copied. A runbook is some thousand values and a few dozen
 * placeholders; walking all of it for every command cost a tenth of `mangaops validate`.
 */
export function substituteAt<T>(value: T, paths: readonly (readonly PropertyKey[])[], config: Config): T {
  const copies = new Set<object>();
  const at = (node: unknown, path: readonly PropertyKey[], depth: number): unknown => {
    if (depth === path.length) return substitute(node, config);
    if (node === null || typeof node !== 'object') return node;
    const key = path[depth] as keyof typeof node;
    const child = node[key];
    const next = at(child, path, depth + 1);
    if (next === child) return node;
    const copy = copies.has(node) ? node : Array.isArray(node) ? [...(node as unknown[])] : { ...node };
    copies.add(copy);
    (copy as Record<PropertyKey, unknown>)[key] = next;
    return copy;
  };
  return paths.reduce<unknown>((out, path) => at(out, path, 0), value) as T;
}
