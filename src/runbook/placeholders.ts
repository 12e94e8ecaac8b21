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
export function* placeholders(value: unknown, path: PropertyKey[] = []): Generator<{ key: string; path: PropertyKey[] }> {
  if (typeof value === 'string') {
    for (const m of value.matchAll(PLACEHOLDER)) yield { key: m[1]!, path };
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) yield* placeholders(v, [...path, i]);
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* placeholders(v, [...path, k]);
  }
}

/**
 * Replace placeholders throughout a value. A string that is exactly one placeholder takes
 * the config value's type (so `${ecs.scaleCapFactor}` stays a number). Unknown keys are
 * left as they are: lint reports them, with their line.
 */
export function substitute<T>(value: T, config: Config): T {
  if (typeof value === 'string') {
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
  if (Array.isArray(value)) return value.map((v) => substitute(v, config)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, config)])) as T;
  }
  return value;
}
