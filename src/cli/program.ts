// Commander wiring only: parse, normalise options, hand one command name and its options to
// `dispatch`. The commands are imported lazily by main(), so `mangaops --help` loads nothing
// else; tests pass a recording dispatch to check argv → options (test/cli/program.test.ts).
// @commander-js/extra-typings infers each action's option types from its .option() calls, so
// the options a command receives are checked against what it declares (cli/commands.ts).
import { Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { CommonOptions } from '../commands/context.js';
import type { CommandName, CommandOptions, Dispatch } from './commands.js';
import { examplesText } from './examples.js';
import { fraction, interval, probeMs, stageMs, verifyMs } from './parse.js';

export type { Dispatch };

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Each stage of a fix under its own deadline (config `deadlines`; these override it). */
function deadlineOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option('--plan-timeout <ms>', "deadline for a fix's plan reads (default 15000)", stageMs)
    .option('--apply-timeout <ms>', "deadline for a fix's apply (default 30000)", stageMs)
    .option('--verify-timeout <ms>', "deadline for a fix's verify (default 600000)", verifyMs);
}

/** The recovery watch after each applied fix. */
function watchOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option('--watch-interval <duration>', 'time between two polls of the recovery watch (30s, 2m; default 60s)', interval)
    .option('--no-watch', 'do not watch the recovery after an applied fix');
}

/** Options every command understands; commander puts them on the root program. */
function globals(program: { opts(): { json?: true; debug?: true; color: boolean; config?: string; region?: string; profile?: string } }): Required<Pick<CommonOptions, 'json' | 'debug' | 'color'>> & CommonOptions {
  const o = program.opts();
  return {
    json: Boolean(o.json),
    debug: Boolean(o.debug),
    color: o.color !== false,
    config: o.config,
    region: o.region,
    profile: o.profile,
  };
}

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

export function buildProgram(dispatch: Dispatch, output?: ProgramOutput): { program: Command; result: () => Promise<number> | undefined } {
  let pending: Promise<number> | undefined;
  const program = new Command('mangaops')
    .description('On-call runbooks for MangaAssist: walk an incident tree on live or simulated evidence, confirm each fix.')
    .option('--json', 'print one JSON result on stdout; never prompt')
    .option('--debug', 'show stack traces')
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--config <file>', 'environment config (also MANGAOPS_CONFIG)')
    .option('--region <region>', 'AWS region (also AWS_REGION)')
    .option('--profile <profile>', 'AWS profile (also AWS_PROFILE)')
    .showHelpAfterError('(mangaops --help for usage)');
  // Before any subcommand is added, so they all inherit it: commander must not exit the
  // process itself, writes where main() says, and each subcommand's help lists the global
  // options too.
  program.exitOverride();
  program.configureHelp({ showGlobalOptions: true });
  if (output) program.configureOutput(output);

  const run = <K extends CommandName>(name: K, options: CommandOptions[K]) => {
    pending = dispatch(name, options);
  };
  // The root's options, read when a command runs (commander has parsed them by then).
  const g = () => globals(program);

  program
    .command('list')
    .description('the scenarios, their severity and alarm')
    .action(() => run('list', g()));

  program
    .command('validate')
    .description('schema, lint, and every drill case reaching its outcome')
    .argument('[files...]', 'runbook files (default: all shipped runbooks)')
    .action((files) => run('validate', { ...g(), files }));

  program
    .command('graph')
    .description('the tree back as a mermaid flowchart or a text tree')
    .argument('<scenario>', 'scenario id or alias')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'text'] as const).default('mermaid' as const))
    .action((scenario, o) => run('graph', { ...g(), scenario, format: o.format }));

  // The walk's own flags, on diagnose and drill alike.
  const walkOptions = <A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) =>
    cmd
      .option('--auto', 'follow the evidence, never prompt')
      .option('--answer <node=choice>', 'answer a human question (repeatable)', collect, [] as string[])
      .option('--journal <file>', 'journal file (default: $XDG_STATE_HOME/mangaops/incidents/<id>.jsonl)')
      .option('--probe-timeout <ms>', 'per-probe timeout in milliseconds', probeMs)
      .option('--dry-run', 'plan actions, never apply them')
      .option('--yes', 'confirm actions without asking (automation)');

  walkOptions(
    watchOptions(deadlineOptions(program.command('diagnose')))
      .description('walk the tree on live evidence; confirm or overrule each branch; offer the fixes')
      .argument('<scenario>', 'scenario id or alias')
      .option('--at <time>', 'evaluate as of a past moment (ISO time or -2h)')
      .option('--preflight', 'check every probe can run with the current credentials, then stop')
      .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)'),
  ).action((scenario, o) => run('diagnose', { ...g(), scenario, ...o }));

  walkOptions(
    watchOptions(program.command('drill'))
      .description('the same walk on simulated evidence that reacts to the fixes; scores the walk; touches nothing real')
      .argument('<scenario>', 'scenario id or alias')
      .option('--case <name>', 'the drill case (default in a TTY: one drawn at random, hidden)')
      .option('--random', 'draw a case at random')
      .option('--list', 'list the cases')
      .option('--apply', "confirm every fix of the reached outcome in the drill's world, and watch its recovery"),
  ).action((scenario, o) => run('drill', { ...g(), scenario, ...o }));

  watchOptions(deadlineOptions(program.command('resume')))
    .description('continue an interrupted walk')
    .argument('<incident>', 'incident id')
    .option('--journal <file>', 'journal file')
    .option('--auto', 'follow the evidence, never prompt')
    .option('--answer <node=choice>', 'answer a human question (repeatable)', collect, [] as string[])
    .option('--dry-run', 'plan actions, never apply them')
    .option('--yes', 'confirm actions without asking')
    .action((incident, o) => run('resume', { ...g(), incident, ...o }));

  const journal = program.command('journal').description('incident journals');
  journal
    .command('list')
    .description('recorded incidents, newest first')
    .action(() => run('journal-list', g()));
  journal
    .command('show')
    .description("an incident's timeline")
    .argument('<incident>', 'incident id or journal file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'markdown'] as const).default('text' as const))
    .action((incident, o) => run('journal-show', { ...g(), incident, format: o.format }));

  program
    .command('regress')
    .description('Mann-Whitney U regression test between two sample files or CloudWatch windows')
    .option('--before <file>', 'samples before the change')
    .option('--after <file>', 'samples after the change')
    .option('--column <name>', 'CSV column (name or index)')
    .option('--metric <probe>', 'a metric probe id (scenario:probe) for CloudWatch windows')
    .option('--before-window <from..to>', 'CloudWatch window before, e.g. -3h..-1h')
    .option('--after-window <from..to>', 'CloudWatch window after, e.g. -1h..now')
    .addOption(new Option('--alternative <alt>', 'what counts as a regression').choices(['greater', 'less', 'two-sided'] as const).default('greater' as const))
    .addOption(new Option('--method <method>', 'p-value method').choices(['auto', 'exact', 'asymptotic'] as const).default('auto' as const))
    .option('--before-first-token <file>', 'first-token samples before')
    .option('--after-first-token <file>', 'first-token samples after')
    .option('--before-tokens <file>', 'tokens per response before')
    .option('--after-tokens <file>', 'tokens per response after')
    .action((o) => run('regress', { ...g(), ...o }));

  program
    .command('gate')
    .description('CI gate for a prompt change: fails on a p95 regression over the limit or a budget overrun')
    .requiredOption('--baseline <file>', 'baseline latency samples')
    .requiredOption('--candidate <file>', 'candidate latency samples')
    .option('--intent <intent>', 'intent whose budget applies', 'recommendation')
    .option('--max-regression <fraction>', 'allowed p95 regression: 0.15 or 15%', fraction)
    .option('--require-significance', 'block a p95 regression only when Mann-Whitney also finds it significant')
    .addOption(new Option('--token-stat <stat>', 'token samples statistic held to the budget').choices(['max', 'p95'] as const).default('max' as const))
    .option('--column <name>', 'CSV column (name or index)')
    .option('--candidate-input-tokens <file>', 'candidate input-token samples')
    .option('--candidate-output-tokens <file>', 'candidate output-token samples')
    .action((o) => run('gate', { ...g(), ...o }));

  program
    .command('iam-policy')
    .description('least-privilege IAM policy for a runbook (reads, and writes of its actions)')
    .argument('[scenario]', 'scenario id or alias (default: all)')
    .addOption(new Option('--only <which>', 'print one policy document: the reads or the writes').choices(['reads', 'writes'] as const))
    .action((scenario, o) => run('iam-policy', { ...g(), scenario, ...o }));

  program
    .command('watch')
    .description("re-attach to the recovery watch of an incident's last applied fix")
    .argument('<incident>', 'incident id')
    .option('--watch-interval <duration>', 'time between two polls (30s, 2m; default 60s)', interval)
    .option('--journal <file>', 'journal file')
    .option('--probe-timeout <ms>', 'per-probe timeout in milliseconds', probeMs)
    .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)')
    .action((incident, o) => run('watch', { ...g(), incident, ...o }));

  // `act <action> --help` is the action's own help (its parameters): act reads --help itself.
  const act = watchOptions(deadlineOptions(program.command('act')))
    .description('run one remediation: plan, confirm, apply, verify, record the undo')
    .argument('[action]', 'action name (mangaops act --list)')
    .helpOption(false)
    .option('-h, --help', "show help; after an action, that action's parameters")
    .option('--list', 'the catalogue with its parameters')
    .option('--dry-run', 'plan only')
    .option('--yes', 'confirm without asking')
    .option('--force', 'allow what the action refuses by default (caps, wide patterns)')
    .option('--journal <file>', 'journal file')
    .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)')
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .action((action, o, cmd) => {
      if (o.help && !action) return void cmd.outputHelp();
      run('act', { ...g(), action, ...o, rest: cmd.args.slice(action ? 1 : 0) });
    });

  deadlineOptions(program.command('undo'))
    .description('apply a recorded undo, through the same runner')
    .argument('<incident>', 'incident id')
    .argument('[step]', 'step number (default: the last applied)')
    .option('--dry-run', 'plan only')
    .option('--yes', 'confirm without asking')
    .option('--force', 'allow what the action refuses by default')
    .option('--journal <file>', 'journal file')
    .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)')
    .action((incident, step, o) => run('undo', { ...g(), incident, step, ...o }));

  program
    .command('completion')
    .description('print the shell completion script (commands, options, scenarios, cases, actions, incidents)')
    .argument('<shell>', 'bash, zsh or fish')
    .action((shell) => run('completion', { ...g(), shell }));

  const config = program.command('config').description('the per-user configuration');
  config
    .command('init')
    .description("write $XDG_CONFIG_HOME/mangaops/config.yaml with the account's names (asked for, or given as flags)")
    .option('--account-id <id>', 'AWS account id')
    .option('--cluster <name>', 'ECS cluster')
    .option('--service <name>', 'ECS service of the orchestrator')
    .option('--container <name>', 'its container')
    .option('--prompt-table <name>', 'DynamoDB table of prompt templates')
    .option('--classifier-table <name>', 'DynamoDB table of classifier versions')
    .option('--inventory-table <name>', 'DynamoDB inventory table')
    .option('--config-table <name>', 'DynamoDB router config table')
    .option('--collection <name>', 'OpenSearch Serverless collection')
    .option('--redis-url <url>', 'Redis URL (rediss:// for TLS)')
    .option('--yes', 'keep the current value of whatever no flag gives, without asking')
    .option('--force', 'replace an existing per-user config')
    .action((o) => run('config-init', { ...g(), ...o }));

  for (const cmd of [...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    const path = cmd.parent === program ? cmd.name() : `${cmd.parent!.name()} ${cmd.name()}`;
    const text = examplesText(path);
    if (text) cmd.addHelpText('after', text);
  }
  void act;

  return { program, result: () => pending };
}
