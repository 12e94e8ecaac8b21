// What the probe kinds build their schemas with. In the bundle they reach zod through this
// module, loaded at the first schema they build (LAZY in scripts/build.mjs); run from src/,
// they import zod itself. `enum` is a reserved word: it travels as `enumeration`.
import './zod-jitless.js';

export { array, boolean, discriminatedUnion, literal, number, record, strictObject, string, union } from 'zod';
export { enum as enumeration } from 'zod';
