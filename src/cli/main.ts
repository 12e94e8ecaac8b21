// The one process boundary: argv in, exit code out. Typed errors become one line (and a
// hint); a stack only with --debug. bin/mangaops.js is the only caller that sets exitCode.
import { CommanderError } from 'commander';
import { MangaopsError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { CommandName, CommandOptions, Dispatch } from './commands.js';
import { maskPasswords } from '../core/secrets.js';
import { endingBySignal, processIo } from './process-io.js';
import { buildProgram } from './program.js';

type Handlers = { [K in CommandName]: () => Promise<(options: CommandOptions[K], io: Io) => Promise<number>> };

// Lazy: each command's module (and what it imports: the AWS SDK, ioredis, inquirer) loads
// only when that command runs. Each entry is checked against its command's options type.
const commands: Handlers = {
  list: async () => (await import('../commands/list.js')).list,
  validate: async () => (await import('../commands/validate.js')).validate,
  graph: async () => (await import('../commands/graph.js')).graph,
  drill: async () => (await import('../commands/drill.js')).drill,
  diagnose: async () => (await import('../commands/diagnose.js')).diagnose,
  'iam-policy': async () => (await import('../commands/iam-policy.js')).iamPolicy,
  regress: async () => (await import('../commands/stats-cli.js')).regressCli,
  gate: async () => (await import('../commands/stats-cli.js')).gateCli,
  act: async () => (await import('../commands/act.js')).act,
  undo: async () => (await import('../commands/undo.js')).undo,
  resume: async () => (await import('../commands/resume.js')).resume,
  'journal-list': async () => (await import('../commands/journal.js')).journalList,
  'journal-show': async () => (await import('../commands/journal.js')).journalShow,
};

function report(io: Io, error: unknown, debug: boolean): number {
  // A URL's password may sit in any message or stack (a malformed --redis-url): never shown.
  const say = (text: string) => io.stderr.write(maskPasswords(text));
  if (error instanceof MangaopsError) {
    say(`mangaops: ${error.message}\n`);
    if (error.hint) say(`  ${error.hint}\n`);
    if (debug && error.stack) say(`${error.stack}\n`);
    return error.exitCode;
  }
  const e = error as Error;
  if (e?.name === 'ExitPromptError') {
    io.stderr.write('mangaops: cancelled.\n');
    return 1;
  }
  say(`mangaops: unexpected error: ${e?.message ?? String(error)}\n`);
  say(debug ? `${e?.stack ?? ''}\n` : '  run again with --debug for the stack trace\n');
  return 1;
}

export async function main(argv: string[], io?: Io): Promise<number> {
  const debug = argv.includes('--debug');
  const dispatch: Dispatch = async (name, options) => {
    const theIo = io ?? processIo({ color: options.color !== false });
    let code: number;
    try {
      const run = await (commands[name] as Handlers[typeof name])();
      code = await run(options, theIo);
    } catch (error) {
      code = report(theIo, error, debug);
    }
    // A signal arrived: its handlers are journaling; the run ends with its code (130, 143, 129).
    return (await endingBySignal()) ?? code;
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
