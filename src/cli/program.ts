// Commander wiring only: parse, normalise options, hand one command name and its options to
// `dispatch`. The commands are imported lazily by main(), so `mangaops --help` loads nothing
// else; tests pass a recording dispatch to check argv → options (test/cli/program.test.ts).
// @commander-js/extra-typings infers each action's option types from its .option() calls, so
// the options a command receives are checked against what it declares (cli/commands.ts).
import { Command, Option, type OptionValues } from '@commander-js/extra-typings';
import type { CommonOptions } from '../commands/context.js';
import { packageVersion } from '../core/paths.js';
import type { CommandName, CommandOptions, Dispatch } from './commands.js';
import { examplesText } from './examples.js';
import { DEFAULT_WAIT_SECONDS, fraction, interval, pollSeconds, probeMs, stageMs, verifyMs, waitSeconds } from './parse.js';

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

/** --wait alone waits the default; --no-lock gives lock: false. */
function leaseFlags(o: { wait?: number | true; lock?: boolean }): { wait: number | undefined; lock: boolean } {
  return { wait: o.wait === true ? DEFAULT_WAIT_SECONDS : o.wait, lock: o.lock !== false };
}

/** The lease flags of every command that applies a fix. */
function leaseOptions<A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) {
  return cmd
    .option('--wait [seconds]', `wait for a resource someone else is changing (--wait alone: ${DEFAULT_WAIT_SECONDS} s)`, waitSeconds)
    .option('--no-lock', 'apply even when the team table cannot be reached for a lease (journaled with a warning)');
}

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

/**
 * The program; with `only`, only that command's branch under the root (main() passes the
 * command word when argv starts with one: defining all twenty-five, with their hundred and
 * fifty options, is 2 ms of every run). Help, completion and anything that needs the whole
 * tree build it all.
 */
export function buildProgram(dispatch: Dispatch, output?: ProgramOutput, only?: string): { program: Command; result: () => Promise<number> | undefined } {
  let pending: Promise<number> | undefined;
  const wanted = (name: string) => !only || only === name;
  const program = new Command('mangaops')
    .description('On-call runbooks for MangaAssist: walk an incident tree on live or simulated evidence, confirm each fix.')
    .version(packageVersion(), '--version', 'print the version of mangaops')
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

  if (wanted('list')) {
    program
      .command('list')
      .description('the scenarios, their severity and alarm')
      .action(() => run('list', g()));
  }

  if (wanted('validate')) {
    program
      .command('validate')
      .description('schema, lint, and every drill case reaching its outcome')
      .argument('[files...]', 'runbook files (default: all shipped runbooks)')
      .option('--cases-dir <dir>', 'incident cases folder (default: cases/ beside each runbook, or config casesDir)')
      .action((files, o) => run('validate', { ...g(), files, ...o }));
  }

  if (wanted('graph')) {
    program
      .command('graph')
      .description('the tree back as a mermaid flowchart or a text tree')
      .argument('<scenario>', 'scenario id or alias')
      .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'text'] as const).default('mermaid' as const))
      .action((scenario, o) => run('graph', { ...g(), scenario, format: o.format }));
  }

  // The walk's own flags, on diagnose and drill alike.
  const walkOptions = <A extends unknown[], O extends OptionValues>(cmd: Command<A, O>) =>
    cmd
      .option('--auto', 'follow the evidence, never prompt')
      .option('--answer <node=choice>', 'answer a human question (repeatable)', collect, [] as string[])
      .option('--journal <file>', 'journal file (default: $XDG_STATE_HOME/mangaops/incidents/<id>.jsonl)')
      .option('--probe-timeout <ms>', 'per-probe timeout in milliseconds', probeMs)
      .option('--dry-run', 'plan actions, never apply them')
      .option('--yes', 'confirm actions without asking (automation)');

  if (wanted('diagnose')) {
    leaseOptions(
      walkOptions(
        watchOptions(deadlineOptions(program.command('diagnose')))
          .description('walk the tree on live evidence; confirm or overrule each branch; offer the fixes')
          .argument('[scenario]', 'scenario id or alias (with --alarm: the alarm\'s runbook unless given)')
          .option('--at <time>', 'evaluate as of a past moment (ISO time or -2h)')
          .option('--alarm <name|arn>', 'start from a CloudWatch alarm: its runbook, as of its state change')
          .option('--preflight', 'check every probe can run with the current credentials, then stop')
          .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)'),
      ),
    ).action((scenario, o) => run('diagnose', { ...g(), scenario, ...o, ...leaseFlags(o) }));
  }

  if (wanted('drill')) {
    walkOptions(
      watchOptions(program.command('drill'))
        .description('the same walk on simulated evidence that reacts to the fixes; scores the walk; touches nothing real')
        .argument('<scenario>', 'scenario id or alias')
        .option('--case <name>', 'the drill case (default in a TTY: one drawn at random, hidden)')
        .option('--random', 'draw a case at random')
        .option('--list', 'list the cases')
        .option('--cases-dir <dir>', 'incident cases folder (default: cases/ beside the runbooks, or config casesDir)')
        .option('--apply', "confirm every fix of the reached outcome in the drill's world, and watch its recovery"),
    ).action((scenario, o) => run('drill', { ...g(), scenario, ...o }));
  }

  if (wanted('resume')) {
    leaseOptions(
      watchOptions(deadlineOptions(program.command('resume')))
        .description('continue an incident: an interrupted walk, one from another machine (team table), a step once approved')
        .argument('<incident>', 'incident id')
        .option('--journal <file>', 'journal file')
        .option('--auto', 'follow the evidence, never prompt')
        .option('--answer <node=choice>', 'answer a human question (repeatable)', collect, [] as string[])
        .option('--dry-run', 'plan actions, never apply them')
        .option('--yes', 'confirm actions without asking')
        .option('--take <reason>', 'take over from the engineer who drives it now (journaled with the reason)')
        .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)'),
    ).action((incident, o) => run('resume', { ...g(), incident, ...o, ...leaseFlags(o) }));
  }

  if (wanted('incidents')) {
    program
      .command('incidents')
      .description("the team's incidents: who started them, who drives now, status, outcome, what is leased")
      .option('--open', 'only the open ones')
      .action((o) => run('incidents', { ...g(), ...o }));
  }

  if (wanted('follow')) {
    program
      .command('follow')
      .description("print another engineer's walk as it happens, until the incident ends (Ctrl-C to stop)")
      .argument('<incident>', 'incident id')
      .option('--interval <seconds>', 'seconds between polls of the team table (default 1)', pollSeconds)
      .action((incident, o) => run('follow', { ...g(), incident, ...o }));
  }

  if (wanted('handover')) {
    program
      .command('handover')
      .description('hand an incident over: journaled, and the driver role released for them to resume')
      .argument('<incident>', 'incident id')
      .requiredOption('--to <who>', 'who takes it over')
      .option('--note <text>', 'what they need to know')
      .action((incident, o) => run('handover', { ...g(), incident, ...o }));
  }

  if (wanted('approve')) {
    program
      .command('approve')
      .description("approve another engineer's step that waits for approval (the two-person rule)")
      .argument('<incident>', 'incident id')
      .argument('<step>', 'step number (the one `needs approval` named)')
      .option('--note <text>', 'why, for the journal')
      .option('--yes', 'approve without asking (no terminal)')
      .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)')
      .action((incident, step, o) => run('approve', { ...g(), incident, step, ...o }));
  }

  if (wanted('team')) {
    const team = program.command('team').description('the team table on DynamoDB: shared journal, leases, approvals');
    team
      .command('init')
      .description('create the team table (on demand, TTL on leases); --dry-run prints the plan and the aws CLI commands')
      .option('--dry-run', 'print the plan and the aws dynamodb commands; create nothing')
      .action((o) => run('team-init', { ...g(), ...o }));
    team
      .command('sync')
      .description('upload what journals recorded while the team table could not be reached')
      .argument('[incidents...]', 'incident ids (default: those known to be behind)')
      .option('--all', 'check every journal on this machine')
      .action((incidents, o) => run('team-sync', { ...g(), incidents, ...o }));
  }

  if (wanted('journal')) {
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
    journal
      .command('to-case')
      .description("turn a recorded incident's evidence and answers into a drill case of its runbook")
      .argument('<incident>', 'incident id or journal file')
      .option('--name <name>', 'the case name (default: incident-<date>-<time>)')
      .option('--cases-dir <dir>', 'where cases go (default: cases/ beside the runbook, or config casesDir)')
      .option('--force', 'replace a case file of that name')
      .action((incident, o) => run('journal-to-case', { ...g(), incident, ...o }));
  }

  if (wanted('on-alarm')) {
    program
      .command('on-alarm')
      .description('pre-diagnose an alarm event (EventBridge or SNS): walk its runbook with --auto, post one chat message')
      .requiredOption('--event <file>', 'the event as JSON: a file, or - for stdin')
      .option('--probe-timeout <ms>', 'per-probe timeout in milliseconds', probeMs)
      .option('--watch-interval <duration>', 'time between two polls of the recovery watch of a fix autoApply let through (30s, 2m; default 60s)', interval)
      .option('--no-watch', 'do not watch the recovery of a fix autoApply let through')
      .action((o) => run('on-alarm', { ...g(), ...o }));
  }

  if (wanted('alarms')) {
    program
      .command('alarms')
      .description("the account's alarms in ALARM, each with the runbook that answers it")
      .option('--event-pattern', "print the EventBridge pattern for the runbooks' alarms instead")
      .action((o) => run('alarms', { ...g(), ...o }));
  }

  if (wanted('regress')) {
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
  }

  if (wanted('gate')) {
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
  }

  if (wanted('iam-policy')) {
    program
      .command('iam-policy')
      .description('least-privilege IAM policy for a runbook (reads, and writes of its actions)')
      .argument('[scenario]', 'scenario id or alias (default: all)')
      .addOption(new Option('--only <which>', 'print one policy document: the reads, the writes, or the team table').choices(['reads', 'writes', 'team'] as const))
      .action((scenario, o) => run('iam-policy', { ...g(), scenario, ...o }));
  }

  if (wanted('watch')) {
    program
      .command('watch')
      .description("re-attach to the recovery watch of an incident's last applied fix")
      .argument('<incident>', 'incident id')
      .option('--watch-interval <duration>', 'time between two polls (30s, 2m; default 60s)', interval)
      .option('--journal <file>', 'journal file')
      .option('--probe-timeout <ms>', 'per-probe timeout in milliseconds', probeMs)
      .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)')
      .action((incident, o) => run('watch', { ...g(), incident, ...o }));
  }

  if (wanted('act')) {
    // `act <action> --help` is the action's own help (its parameters): act reads --help itself.
    leaseOptions(watchOptions(deadlineOptions(program.command('act'))))
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
        run('act', { ...g(), action, ...o, ...leaseFlags(o), rest: cmd.args.slice(action ? 1 : 0) });
      });
  }

  if (wanted('undo')) {
    leaseOptions(
      deadlineOptions(program.command('undo'))
        .description('apply a recorded undo, through the same runner')
        .argument('<incident>', 'incident id')
        .argument('[step]', 'step number (default: the last applied)')
        .option('--dry-run', 'plan only')
        .option('--yes', 'confirm without asking')
        .option('--force', 'allow what the action refuses by default')
        .option('--journal <file>', 'journal file')
        .option('--redis-url <url>', 'Redis endpoint (also MANGAOPS_REDIS_URL)'),
    ).action((incident, step, o) => run('undo', { ...g(), incident, step, ...o, ...leaseFlags(o) }));
  }

  if (wanted('completion')) {
    program
      .command('completion')
      .description('print the shell completion script (commands, options, scenarios, cases, actions, incidents)')
      .argument('<shell>', 'bash, zsh or fish')
      .action((shell) => run('completion', { ...g(), shell }));
  }

  if (wanted('config')) {
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
  }

  // A word that names no command (help, a typo): the whole tree, for commander's help and suggestions.
  if (only && program.commands.length === 0) return buildProgram(dispatch, output);
  for (const cmd of [...program.commands, ...program.commands.flatMap((c) => c.commands)]) {
    const path = cmd.parent === program ? cmd.name() : `${cmd.parent!.name()} ${cmd.name()}`;
    const text = examplesText(path);
    if (text) cmd.addHelpText('after', text);
  }

  return { program, result: () => pending };
}
