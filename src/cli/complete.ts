// Shell completion, read off the commander tree itself — so a new command or option completes
// the day it is added, with no list to keep — plus the values only the tool knows: scenario
// ids, drill case names after --case, action names and their parameters, incident ids.
// `mangaops completion <shell>` (commands/completion.ts) prints a small script that asks
// `mangaops __complete` for candidates.
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { getAction, isActionName, actionNames } from '../capabilities/actions.js';
import { paramSpecs } from '../capabilities/params.js';
import { cacheFor, configFor } from '../commands/context.js';
import { listJournals } from '../journal/journal.js';
import { loadAll } from '../runbook/catalog.js';

type AnyCommand = CommandUnknownOpts;

/** The argument kinds whose values the tool knows, by argument name. */
const DYNAMIC: Record<string, 'scenario' | 'incident' | 'action' | 'shell'> = {
  scenario: 'scenario',
  incident: 'incident',
  action: 'action',
  shell: 'shell',
};

async function scenarios(env: NodeJS.ProcessEnv): Promise<{ ids: string[]; cases: Map<string, string[]> }> {
  // Through the caches, as every command reads them: a Tab press parses no YAML that has not changed.
  const all = await loadAll(await configFor({}, { env }), cacheFor({ env }));
  const cases = new Map<string, string[]>();
  for (const { runbook } of all) for (const name of [runbook.id, ...runbook.aliases]) cases.set(name, runbook.drills.map((d) => d.name));
  return { ids: all.flatMap(({ runbook }) => [runbook.id, ...runbook.aliases]), cases };
}

function optionsOf(cmd: AnyCommand): { flag: string; takesValue: boolean }[] {
  const own = [cmd, ...(cmd.parent ? [cmd.parent as AnyCommand] : [])].flatMap((c) => c.options);
  return own.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)).map((flag) => ({ flag, takesValue: o.required || o.optional })));
}

/**
 * The candidates for the word at `index` of `words` (the words after `mangaops`), those that
 * begin with what is typed so far.
 */
export async function complete(program: AnyCommand, index: number, words: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const typed = words[index] ?? '';
  const before = words.slice(0, index);
  let cmd = program;
  const positionals: string[] = [];
  for (let i = 0; i < before.length; i++) {
    const w = before[i]!;
    const sub = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w)) as AnyCommand | undefined;
    if (sub && positionals.length === 0) {
      cmd = sub;
      continue;
    }
    if (w.startsWith('-')) {
      if (!w.includes('=') && optionsOf(cmd).find((o) => o.flag === w)?.takesValue) i++;
      continue;
    }
    positionals.push(w);
  }
  const previous = before.at(-1);
  const pick = (all: Iterable<string>) => [...new Set(all)].filter((c) => c.startsWith(typed)).sort();

  // A value for the option just typed.
  if (previous?.startsWith('-') && optionsOf(cmd).find((o) => o.flag === previous)?.takesValue) {
    if (previous === '--case') {
      const { cases } = await scenarios(env);
      return pick(cases.get(positionals[0] ?? '') ?? []);
    }
    const choices = cmd.options.find((o) => o.long === previous)?.argChoices;
    return pick(choices ?? []);
  }
  if (typed.startsWith('-')) {
    const flags = optionsOf(cmd).map((o) => o.flag);
    // `act <action> --…`: the action's own parameters are its flags.
    const action = cmd.name() === 'act' && positionals[0] && isActionName(positionals[0]) ? paramSpecs(getAction(positionals[0]).params).map((p) => p.flag) : [];
    return pick([...flags, ...action, '--help']);
  }
  if (cmd.commands.length && positionals.length === 0) return pick(cmd.commands.filter((c) => c.name() !== '__complete').map((c) => c.name()));
  const argument = cmd.registeredArguments[positionals.length];
  switch (argument ? DYNAMIC[argument.name()] : undefined) {
    case 'scenario':
      return pick((await scenarios(env)).ids);
    case 'incident':
      return pick(listJournals(env).map((j) => j.incident));
    case 'action':
      return pick(actionNames);
    case 'shell':
      return pick(['bash', 'zsh', 'fish']);
    default:
      return [];
  }
}
