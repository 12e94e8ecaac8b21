// The diagnosis screen: what it is, why, and what to do by tier; prevention last.
import type { ChalkInstance } from 'chalk';
import type { OutcomeNode } from '../runbook/schema.js';

/** Word-wrap to `width` columns; `hang` indents the continuation lines (default: `indent`). */
export function wrap(text: string, width: number, indent: string, hang: string = indent): string {
  const out: string[] = [];
  // Measure without colour codes, so styled words wrap where they show.
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  for (const para of text.split(/\n\s*\n/)) {
    let line = '';
    let prefix = out.length === 0 ? indent : hang;
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && visible(prefix + line + ' ' + word) > width) {
        out.push(prefix + line);
        prefix = hang;
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) out.push(prefix + line);
  }
  return out.join('\n');
}

export function renderOutcomeHeader(id: string, node: OutcomeNode, c: ChalkInstance, columns: number): string {
  const tag = node.extension ? c.dim(' (extension)') : '';
  const lines = ['', wrap(`${c.green.bold('■ ' + node.title)}${tag}  ${c.dim(`[${id}]`)}`, columns, '', '  ')];
  if (node.explanation) lines.push(wrap(node.explanation, columns, '  '));
  return lines.join('\n') + '\n';
}

export function renderTierHeading(tier: OutcomeNode['resolution'][number], c: ChalkInstance): string {
  return `\n  ${c.bold(tier.tier)}${tier.timeframe ? c.dim(` (${tier.timeframe})`) : ''}\n`;
}

export function renderPrevention(node: OutcomeNode, c: ChalkInstance, columns: number): string {
  if (!node.prevention.length) return '';
  const lines = ['', `  ${c.bold('prevention')}`];
  for (const p of node.prevention) {
    const who = p.owner ? c.dim(` [${p.owner}]`) : '';
    lines.push(wrap(`- ${p.measure}${p.implementation ? ` — ${p.implementation}` : ''}${who}`, columns, '    ', '      '));
  }
  return lines.join('\n') + '\n';
}
