// The commands that show the runbooks and walk nothing, in one module so that the bundle
// loads them as one file: they load no zod, no YAML reader (from the cache), no walk.
export { graph } from './graph.js';
export { list } from './list.js';
