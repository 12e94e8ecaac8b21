// A zod schema built where it is first used rather than when its module loads. Building a zod
// schema is work (zod sets up each one with its traits and checks): the probe kinds' schemas
// were 5 ms of every walk's start, spent before diagnose's first request, though only reading a
// runbook from its text (the cache missed) or checking a drill case ever parses with them.
//
// The stand-in forwards everything to the real schema, built once at the first touch: a
// property read or a method call on it, or another schema built around it. Its type is the
// real schema's.
export function deferred<T extends object>(build: () => T): T {
  let real: T | undefined;
  const the = () => (real ??= build());
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(the(), key),
    set: (_, key, value) => Reflect.set(the(), key, value),
    has: (_, key) => Reflect.has(the(), key),
    ownKeys: () => Reflect.ownKeys(the()),
    // Reported configurable: a proxy may not claim a fixed property its own target lacks.
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(the(), key);
      return d && { ...d, configurable: true };
    },
    defineProperty: (_, key, d) => Reflect.defineProperty(the(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(the(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(the()),
  });
}
