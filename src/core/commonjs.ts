// A CommonJS library loaded with import(). Node hands back its exports as named exports; the
// esbuild bundle (scripts/build.mjs), which splits each lazy library into a chunk of its own,
// hands back only `default` — the library's module.exports. Either way, this is the object
// that holds the library's exports.
export function commonJs<T extends object>(mod: T): T {
  const d = (mod as { default?: unknown }).default;
  const onlyDefault = Object.keys(mod).every((k) => k === 'default');
  return onlyDefault && d !== null && (typeof d === 'object' || typeof d === 'function') ? (d as T) : mod;
}
