// The commands that lint or walk a runbook, or act and read journals: they share the engine,
// the capabilities and zod, so the bundle loads them as one file rather than forty small ones
// (each a read and a wait at start-up). What only some of them reach — the runner, the live
// adapters and SDK clients, the prompts — stays behind its own import(), and so does diagnose,
// which sends its reads before it loads the rest.
export { act } from './act.js';
export { drill } from './drill.js';
export { iamPolicy } from './iam-policy.js';
export { journalList, journalShow } from './journal.js';
export { resume } from './resume.js';
export { undo } from './undo.js';
export { validate } from './validate.js';
export { watch } from './watch.js';
