// Imported for its effect by the modules that hold the schemas (actions, runbook, probe kinds' zod-subset,
// config, journal records). zod compiles a parser for each object schema with new Function on
// its first parse: code V8's code cache cannot keep, so compiled again on every run, for parses
// that each happen a few times. zod's own switch parses without it: 4 ms less of `validate`.
import { config } from 'zod';

config({ jitless: true });
