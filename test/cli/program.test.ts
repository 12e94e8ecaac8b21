// The argument table: argv → the command and the options it receives. Commander wiring is
// all src/cli does, so this is where its behaviour is pinned.
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

async function parse(argv: string[]) {
  const calls: { command: string; options: unknown }[] = [];
  let errors = '';
  const { program, result } = buildProgram(
    async (command, options) => {
      calls.push({ command, options });
      return 0;
    },
    { writeOut: () => {}, writeErr: (s) => void (errors += s) },
    // As main() builds it: only the command argv starts with.
    argv[0] && !argv[0].startsWith('-') ? argv[0] : undefined,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    await result();
  } catch {
    return { error: errors };
  }
  return calls[0]!;
}

const globals = { json: false, debug: false, color: true, config: undefined, region: undefined, profile: undefined };

describe('argv → command options', () => {
  it.each([
    [['list'], 'list', {}],
    [['list', '--json'], 'list', { json: true }],
    [['--json', 'list'], 'list', { json: true }],
    [['validate'], 'validate', { files: [] }],
    [['validate', 'a.yaml', 'b.yaml'], 'validate', { files: ['a.yaml', 'b.yaml'] }],
    [['graph', 'first-token'], 'graph', { scenario: 'first-token', format: 'mermaid' }],
    [['graph', 'first-token', '--format', 'text'], 'graph', { scenario: 'first-token', format: 'text' }],
    [['drill', 'first-token', '--case', 'cold-connections', '--auto', '--json'], 'drill', { scenario: 'first-token', case: 'cold-connections', auto: true, json: true, answer: [] }],
    [['drill', 'websocket-drop', '--answer', 'a=Yes', '--answer', 'b=No'], 'drill', { scenario: 'websocket-drop', answer: ['a=Yes', 'b=No'] }],
    [['drill', 'first-token', '--list'], 'drill', { scenario: 'first-token', list: true }],
    [['diagnose', 'rag-timeout', '--auto', '--probe-timeout', '1500', '--at', '-2h'], 'diagnose', { scenario: 'rag-timeout', auto: true, probeTimeout: 1500, at: '-2h' }],
    [['diagnose', 'rag-timeout', '--dry-run', '--yes', '--region', 'us-east-1', '--profile', 'prod'], 'diagnose', { dryRun: true, yes: true, region: 'us-east-1', profile: 'prod' }],
    [['diagnose', 'first-token', '--preflight'], 'diagnose', { scenario: 'first-token', preflight: true }],
    [['diagnose', '--alarm', 'first_token_p95', '--auto'], 'diagnose', { scenario: undefined, alarm: 'first_token_p95', auto: true }],
    [['alarms', '--json'], 'alarms', { json: true }],
    [['on-alarm', '--event', '-', '--probe-timeout', '2000'], 'on-alarm', { event: '-', probeTimeout: 2000 }],
    [['alarms', '--event-pattern'], 'alarms', { eventPattern: true }],
    [['resume', '20261127-201502-first-token-a1b2', '--auto', '--answer', 'x=y'], 'resume', { incident: '20261127-201502-first-token-a1b2', auto: true, answer: ['x=y'] }],
    [['journal', 'list'], 'journal-list', {}],
    [['journal', 'to-case', 'inc-1', '--name', 'pool-pings-lost', '--cases-dir', 'cases'], 'journal-to-case', { incident: 'inc-1', name: 'pool-pings-lost', casesDir: 'cases' }],
    [['validate', '--cases-dir', 'cases'], 'validate', { files: [], casesDir: 'cases' }],
    [['drill', 'first-token', '--case', 'x', '--cases-dir', 'cases'], 'drill', { scenario: 'first-token', case: 'x', casesDir: 'cases' }],
    [['journal', 'show', 'abc', '--format', 'markdown'], 'journal-show', { incident: 'abc', format: 'markdown' }],
    [['regress', '--before', 'b.txt', '--after', 'a.txt'], 'regress', { before: 'b.txt', after: 'a.txt', alternative: 'greater', method: 'auto' }],
    [['gate', '--baseline', 'b.txt', '--candidate', 'c.txt'], 'gate', { baseline: 'b.txt', candidate: 'c.txt', intent: 'recommendation', tokenStat: 'max' }],
    [['gate', '--baseline', 'b.txt', '--candidate', 'c.txt', '--require-significance', '--token-stat', 'p95'], 'gate', { requireSignificance: true, tokenStat: 'p95' }],
    [['iam-policy', 'first-token'], 'iam-policy', { scenario: 'first-token' }],
    [['iam-policy', '--only', 'writes'], 'iam-policy', { only: 'writes' }],
    [['gate', '--baseline', 'b.txt', '--candidate', 'c.txt', '--max-regression', '15%'], 'gate', { maxRegression: 0.15 }],
    [['gate', '--baseline', 'b.txt', '--candidate', 'c.txt', '--max-regression', '0.2'], 'gate', { maxRegression: 0.2 }],
    [['completion', 'zsh'], 'completion', { shell: 'zsh' }],
    [['config', 'init', '--cluster', 'prod', '--yes'], 'config-init', { cluster: 'prod', yes: true }],
    [['act', 'ecs.scale', '--help'], 'act', { action: 'ecs.scale', help: true }],
    [['act', 'ecs.scale', '--desired-count', '8', '--dry-run'], 'act', { action: 'ecs.scale', dryRun: true, rest: ['--desired-count', '8'] }],
    [['act', '--list'], 'act', { list: true, rest: [] }],
    [['undo', 'inc-1', '3', '--yes'], 'undo', { incident: 'inc-1', step: '3', yes: true }],
    [['drill', 'first-token', '--case', 'cold-connections', '--auto', '--apply', '--watch-interval', '30s'], 'drill', { scenario: 'first-token', case: 'cold-connections', auto: true, apply: true, watch: true, watchInterval: 30_000 }],
    [['diagnose', 'first-token', '--no-watch'], 'diagnose', { scenario: 'first-token', watch: false }],
    [['diagnose', 'first-token', '--watch-interval', '2m'], 'diagnose', { watch: true, watchInterval: 120_000 }],
    [['resume', 'inc-1', '--watch-interval', '90'], 'resume', { incident: 'inc-1', watchInterval: 90_000 }],
    [['act', 'ecs.scale', '--journal', 'inc-1', '--no-watch', '--yes'], 'act', { action: 'ecs.scale', journal: 'inc-1', watch: false, yes: true }],
    [['watch', 'inc-1', '--watch-interval', '30s', '--json'], 'watch', { incident: 'inc-1', watchInterval: 30_000, json: true }],
    [['act', 'dynamodb.flip-version', '--plan-timeout', '2000', '--apply-timeout=5000', '--verify-timeout', '60000'], 'act', { action: 'dynamodb.flip-version', planTimeout: 2000, applyTimeout: 5000, verifyTimeout: 60000 }],
    [['diagnose', 'rag-timeout', '--apply-timeout', '9000'], 'diagnose', { scenario: 'rag-timeout', applyTimeout: 9000 }],
    [['--no-color', '--config', 'prod.yaml', 'list'], 'list', { color: false, config: 'prod.yaml' }],
    [['act', 'ecs.scale', '--desired-count', '8', '--yes', '--wait'], 'act', { action: 'ecs.scale', yes: true, wait: 300, lock: true, rest: ['--desired-count', '8'] }],
    [['act', 'ecs.scale', '--wait', '45', '--no-lock', '--desired-count', '8'], 'act', { wait: 45, lock: false, rest: ['--desired-count', '8'] }],
    [['undo', 'inc-1', '--wait', '--yes'], 'undo', { incident: 'inc-1', wait: 300, yes: true, lock: true }],
    [['diagnose', 'first-token', '--yes', '--no-lock'], 'diagnose', { scenario: 'first-token', lock: false, wait: undefined }],
    [['resume', 'inc-1', '--take', 'primary asleep', '--yes', '--wait', '60'], 'resume', { incident: 'inc-1', take: 'primary asleep', yes: true, wait: 60, lock: true }],
    [['incidents', '--open', '--json'], 'incidents', { open: true, json: true }],
    [['follow', 'inc-1', '--interval', '0.5'], 'follow', { incident: 'inc-1', interval: 0.5 }],
    [['handover', 'inc-1', '--to', 'bob', '--note', 'pool raised'], 'handover', { incident: 'inc-1', to: 'bob', note: 'pool raised' }],
    [['approve', 'inc-1', '2', '--note', 'looked at it', '--yes'], 'approve', { incident: 'inc-1', step: '2', note: 'looked at it', yes: true }],
    [['team', 'init', '--dry-run'], 'team-init', { dryRun: true }],
    [['team', 'sync'], 'team-sync', { incidents: [] }],
    [['team', 'sync', 'inc-1', 'inc-2', '--all'], 'team-sync', { incidents: ['inc-1', 'inc-2'], all: true }],
    [['iam-policy', '--only', 'team'], 'iam-policy', { only: 'team' }],
  ] as const)('%j → %s', async (argv, command, expected) => {
    const call = await parse([...argv]);
    expect(call).toMatchObject({ command, options: { ...globals, ...expected } });
  });

  it.each([
    [['graph', 'first-token', '--format', 'svg'], "argument 'svg' is invalid"],
    [['diagnose', 'x', '--probe-timeout', 'soon'], 'a positive whole number of milliseconds'],
    // Past what a timer holds, a timeout fires at once on every probe: refused, exit 2.
    [['diagnose', 'x', '--probe-timeout=99999999999'], 'at most 600000 (10 minutes)'],
    [['act', 'ecs.scale', '--apply-timeout', '0'], 'a positive whole number of milliseconds'],
    [['drill'], "missing required argument 'scenario'"],
    [['gate', '--baseline', 'b.txt'], "required option '--candidate <file>' not specified"],
    [['gate', '--baseline', 'b.txt', '--candidate', 'c.txt', '--max-regression', '15'], 'write 15% or 0.15'],
    [['gate', '--baseline', 'b.txt', '--candidate', 'c.txt', '--token-stat', 'mean'], "argument 'mean' is invalid"],
    [['handover', 'inc-1'], "required option '--to <who>' not specified"],
    [['diagnose', 'x', '--wait', 'soon'], 'a number of seconds'],
    [['follow', 'inc-1', '--interval', '0.01'], 'seconds between 0.2 and 60'],
    [['approve', 'inc-1'], "missing required argument 'step'"],
    [['diagnose', 'x', '--watch-interval', '500ms'], 'a duration from 1s to 60m'],
    [['watch', 'inc-1', '--watch-interval', '2h'], 'a duration from 1s to 60m'],
  ] as const)('%j is a usage error', async (argv, message) => {
    const result = await parse([...argv]);
    expect(result).toHaveProperty('error');
    expect((result as { error: string }).error).toContain(message);
  });
});

describe('the program built for one command', () => {
  const silent = { writeOut: () => {}, writeErr: () => {} };
  const full = buildProgram(async () => 0, silent).program;
  type Node = { name(): string; commands: readonly Node[]; helpInformation(): string };
  const helpOf = (program: ReturnType<typeof buildProgram>['program'], path: string[]) => {
    let cmd = program as unknown as Node;
    for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
    return cmd.helpInformation();
  };

  it.each(full.commands.map((c) => c.name()))('GIVEN `mangaops %s …` THEN that branch is defined as in the whole program (same help, same subcommands), and no other', (name) => {
    const alone = buildProgram(async () => 0, silent, name).program;
    expect(alone.commands.map((c) => c.name())).toEqual([name]);
    const cmd = full.commands.find((c) => c.name() === name)!;
    for (const path of [[name], ...cmd.commands.map((c) => [name, c.name()])]) expect(helpOf(alone, path)).toBe(helpOf(full, path));
  });

  it('GIVEN a word that names no command (help, a typo) THEN the whole program is built, so commander can help and suggest', async () => {
    expect(buildProgram(async () => 0, silent, 'help').program.commands.length).toBe(full.commands.length);
    expect((await parse(['dril', 'first-token'])) as { error: string }).toEqual({ error: expect.stringContaining("Did you mean drill?") });
  });
});
