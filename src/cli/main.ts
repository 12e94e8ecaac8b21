// The one process boundary: argv in, exit code out. Typed errors become one line (and a
// hint); a stack only with --debug. bin/mangaops.cjs (through cli/boot.ts) is the only caller that sets exitCode.
import { pathToFileURL } from 'node:url';
import { CommanderError } from 'commander';
import { MangaopsError, NeedsHumanError } from '../core/errors.js';
import type { Io } from '../core/io.js';
import type { CommandName, CommandOptions, Dispatch } from './commands.js';
import { maskPasswords } from '../core/secrets.js';
import { endingBySignal, processIo } from './process-io.js';
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
  // Its own: diagnose sends its reads before the walk's machinery loads (commands/diagnose.ts).
  diagnose: async () => (await import('../commands/diagnose.js')).diagnose,
  'iam-policy': async () => (await walks()).iamPolicy,
  regress: async () => (await import('../commands/stats-cli.js')).regressCli,
  gate: async () => (await import('../commands/stats-cli.js')).gateCli,
  act: async () => (await walks()).act,
  undo: async () => (await walks()).undo,
  resume: async () => (await walks()).resume,
  'journal-list': async () => (await walks()).journalList,
  'journal-show': async () => (await walks()).journalShow,
  alarms: async () => (await import('../commands/alarms.js')).alarms,
  'on-alarm': async () => (await import('../commands/on-alarm.js')).onAlarm,
  'journal-to-case': async () => (await import('../commands/to-case.js')).toCase,
  watch: async () => (await walks()).watch,
  completion: async () => (await import('../commands/completion.js')).completion,
  'config-init': async () => (await import('../commands/config-init.js')).configInit,
  incidents: async () => (await import('../commands/team.js')).incidents,
  follow: async () => (await import('../commands/team.js')).follow,
  handover: async () => (await import('../commands/team.js')).handover,
  approve: async () => (await import('../commands/approve.js')).approve,
  'team-init': async () => (await import('../commands/team.js')).teamInit,
  'team-sync': async () => (await import('../commands/team.js')).teamSync,
};

/** Ctrl-C, as a shell reports it. */
const INTERRUPTED = 130;

/**
 * An error as one line and a hint on stderr, its exit code out; under --json also as an
 * object on stdout, so a script reading stdout learns what went wrong. A URL's password may
 * sit in any message or stack (a malformed --redis-url): never shown.
 */
function report(io: Io, error: unknown, debug: boolean, json = false): number {
  const e = error as Error;
  const known = error instanceof MangaopsError;
  const cancelled = e?.name === 'ExitPromptError';
  const message = maskPasswords(known ? e.message : cancelled ? 'cancelled' : `unexpected error: ${e?.message ?? String(error)}`);
  const hint = known ? error.hint && maskPasswords(error.hint) : cancelled ? undefined : debug ? undefined : 'run again with --debug for the stack trace';
  const code = known ? error.exitCode : cancelled ? INTERRUPTED : 1;
  io.stderr.write(`mangaops: ${message}${cancelled ? '.' : ''}\n`);
  if (hint) io.stderr.write(`  ${hint}\n`);
  if (debug && e?.stack) io.stderr.write(`${maskPasswords(e.stack)}\n`);
  if (json && !(error instanceof NeedsHumanError && error.inResult)) io.stdout.write(JSON.stringify({ error: { message, ...(hint && { hint }), exitCode: code } }, null, 2) + '\n');
  return code;
}

export async function main(argv: string[], io?: Io): Promise<number> {
  // The shell's completion hook: candidates for one word, one per line, nothing else.
  if (argv[0] === '__complete') {
    const out = io ?? processIo({ color: false });
    const { program } = buildProgram(async () => 0);
    const { complete } = await import('./complete.js');
    const words = await complete(program, Number(argv[1]), argv.slice(2), out.env).catch(() => []);
    out.stdout.write(words.map((w) => `${w}\n`).join(''));
    return 0;
  }
  const debug = argv.includes('--debug');
  const dispatch: Dispatch = async (name, options) => {
    const theIo = io ?? processIo({ color: options.color !== false });
    let code: number;
    try {
      const run = await (commands[name] as Handlers[typeof name])();
      code = await run(options, theIo);
    } catch (error) {
      code = report(theIo, error, debug, Boolean(options.json));
    }
    // A signal arrived: its handlers are journaling; the run ends with its code (130, 143, 129).
    return (await endingBySignal()) ?? code;
  };
  const out = io ?? processIo({ color: !argv.includes('--no-color') });
  const { program, result } = buildProgram(
    dispatch,
    { writeOut: (s) => out.stdout.write(s), writeErr: (s) => out.stderr.write(s) },
    // `mangaops drill …`: only drill's branch is defined (program.ts).
    argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined,
  );
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

// Development entry (`npx tsx src/cli/main.ts …`) behaves as bin/mangaops.cjs does. No top-level
// await: the bundle is CommonJS.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
}
