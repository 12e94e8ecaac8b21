// The one process boundary: argv in, exit code out. Typed errors become one line (and a
// hint); a stack only with --debug. bin/mangaops.js is the only caller that sets exitCode.
import { CommanderError } from 'commander';
import { MangaopsError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { CommandName, CommandOptions, Dispatch } from './commands.js';
import { processIo } from './process-io.js';
import { buildProgram } from './program.js';

type Handlers = { [K in CommandName]: () => Promise<(options: CommandOptions[K], io: Io) => Promise<number>> };

// Lazy: each command's module (and what it imports: the AWS SDK, ioredis, inquirer) loads
// only when that command runs — by group, so that the bundle reads one file per group (see
// commands/light.ts and commands/walks.ts). Each entry is checked against its command's options type.
const light = () => import('../commands/light.js');
const walks = () => import('../commands/walks.js');
const commands: Handlers = {
  list: async () => (await light()).list,
  validate: async () => (await walks()).validate,
  graph: async () => (await light()).graph,
  drill: async () => (await walks()).drill,
  diagnose: async () => (await walks()).diagnose,
  'iam-policy': async () => (await walks()).iamPolicy,
  regress: async () => (await import('../commands/stats-cli.js')).regressCli,
  gate: async () => (await import('../commands/stats-cli.js')).gateCli,
  act: async () => (await walks()).act,
  undo: async () => (await walks()).undo,
  resume: async () => (await walks()).resume,
  'journal-list': async () => (await walks()).journalList,
  'journal-show': async () => (await walks()).journalShow,
};

function report(io: Io, error: unknown, debug: boolean): number {
  if (error instanceof MangaopsError) {
    io.stderr.write(`mangaops: ${error.message}\n`);
    if (error.hint) io.stderr.write(`  ${error.hint}\n`);
    if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  if (e?.name === 'ExitPromptError') {
    io.stderr.write('mangaops: cancelled.\n');
    return 1;
  }
  io.stderr.write(`mangaops: unexpected error: ${e?.message ?? String(error)}\n`);
  io.stderr.write(debug ? `${e?.stack ?? ''}\n` : '  run again with --debug for the stack trace\n');
  return 1;
}

export async function main(argv: string[], io?: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const dispatch: Dispatch = async (name, options) => {
    const theIo = io ?? processIo({ color: options.color !== false });
    try {
      const run = await (commands[name] as Handlers[typeof name])();
      return await run(options, theIo);
    } catch (error) {
      return report(theIo, error, debug);
    }
  };
  const out = io ?? processIo({ color: !argv.includes('--no-color') });
  const { program, result } = buildProgram(dispatch, {
    writeOut: (s) => out.stdout.write(s),
    writeErr: (s) => out.stderr.write(s),
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)) return 0;
      // Commander already printed its message; a missing subcommand prints help (exit 2).
      return 2;
    }
    return report(out, error, debug);
  }
  return (await result()) ?? 0;
}

// Development entry (`npx tsx src/cli/main.ts …`) behaves as bin/mangaops.js does.
if (process.argv[1] && import.meta.url === (await import('node:url')).pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await main(process.argv.slice(2));
}
