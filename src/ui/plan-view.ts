// The plan as the engineer reads it before saying yes: what changes from what to what, the
// exact API calls, the command to paste instead, the undo, the notes, and a refusal. Plain
// text that reads the same without colour; long shell commands break at their flags with
// a trailing backslash, so they still paste.
import type { ChalkInstance } from 'chalk';
import type { Plan } from '../capabilities/action.js';
import { wrap } from './wrap.js';
import { style } from './style.js';

export interface PlanViewOptions {
  color: boolean;
  columns: number;
  force: boolean;
  /** The step number, for the undo hint. */
  step?: number;
  incident?: string;
}

/** The command's top-level words: spaces inside quotes do not split. */
function words(command: string): string[] {
  const out: string[] = [];
  let word = '';
  let quote: string | undefined;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = undefined;
      word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word += ch;
    } else if (ch === ' ') {
      if (word) out.push(word);
      word = '';
    } else {
      word += ch;
    }
  }
  if (word) out.push(word);
  return out;
}

/**
 * Break a shell command before its `--flags` and pipes, outside quotes, so each line fits;
 * continuation with ` \`. A command already written on several lines is kept as it is.
 */
export function breakCommand(command: string, width: number, indent: string): string {
  if (command.includes('\n') || indent.length + command.length <= width) {
    // Leading spaces inside a quoted jq filter or after a `\` line break change nothing.
    return command
      .split('\n')
      .map((l) => indent + l)
      .join('\n');
  }
  const parts: string[] = [];
  for (const w of words(command)) {
    if (parts.length && !w.startsWith('--') && w !== '|') parts[parts.length - 1] += ` ${w}`;
    else parts.push(w);
  }
  const lines: string[] = [];
  let line = '';
  const cont = indent + '    ';
  for (const part of parts) {
    const lead = lines.length ? cont : indent;
    if (line && (lead + line + ' ' + part + ' \\').length > width) {
      lines.push(lead + line + ' \\');
      line = part;
    } else {
      line = line ? `${line} ${part}` : part;
    }
  }
  if (line) lines.push((lines.length ? cont : indent) + line);
  return lines.join('\n');
}

function section(c: ChalkInstance, title: string): string {
  return `  ${c.bold(title)}`;
}

function changesBlock(plan: Plan, c: ChalkInstance, width: number): string[] {
  if (!plan.changes.length) return [];
  const out = [section(c, 'Changes')];
  const col = Math.min(32, Math.max(...plan.changes.map((ch) => ch.what.length)));
  for (const ch of plan.changes) {
    const value = ch.from !== undefined ? `${c.red(ch.from)} → ${c.green(ch.to)}` : c.green(ch.to);
    const plain = ch.from !== undefined ? `${ch.from} → ${ch.to}` : ch.to;
    if (4 + col + 2 + plain.length <= width && ch.what.length <= col) {
      out.push(`    ${ch.what.padEnd(col)}  ${value}`);
    } else {
      out.push(wrap(ch.what, width, '    '));
      out.push(wrap(value, width, '      '));
    }
  }
  return out;
}

export function renderPlan(plan: Plan, o: PlanViewOptions): string {
  const c = style(o.color);
  const width = Math.max(40, o.columns);
  // The heading wraps under itself; the action name alone is coloured.
  const lines: string[] = ['', wrap(`${c.cyan.bold('▶ ' + plan.action)}  ${plan.summary}`, width, '', '  ')];
  if (plan.noop) lines.push(`  ${c.green('Already so: nothing to apply.')}`);
  lines.push(...changesBlock(plan, c, width));
  if (plan.calls.length) {
    lines.push(section(c, 'API calls'));
    for (const call of plan.calls) lines.push(c.dim(wrap(call, width, '    ', '      ')));
  }
  if (plan.cli.length) {
    lines.push(section(c, 'Or by hand'));
    for (const cmd of plan.cli) lines.push(breakCommand(cmd, width, '    '));
  }
  lines.push(section(c, 'Undo'));
  if (plan.undo) {
    lines.push(wrap(plan.undo.text, width, '    '));
    if (o.incident && o.step) lines.push(c.dim(`    once applied: mangaops undo ${o.incident} ${o.step}`));
  } else {
    lines.push(wrap('none: this cannot be undone by mangaops', width, '    '));
  }
  if (plan.notes.length) {
    lines.push(section(c, 'Notes'));
    for (const note of plan.notes) lines.push(wrap(`• ${note}`, width, '    ', '      '));
  }
  if (plan.blocked) {
    lines.push(c.red.bold(wrap(`✗ Cannot apply: ${plan.blocked}`, width, '  ')));
  } else if (plan.refusal) {
    lines.push(
      o.force
        ? c.yellow(wrap(`! Refused by default, allowed by --force: ${plan.refusal}`, width, '  '))
        : c.red.bold(wrap(`✗ Refused: ${plan.refusal}`, width, '  ')) + '\n' + wrap('pass --force to do it anyway', width, '    '),
    );
  }
  return lines.join('\n') + '\n';
}
