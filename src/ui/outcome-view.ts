// The diagnosis screen: what it is, why, and what to do by tier; prevention last.
import type { ChalkInstance } from 'chalk';
import type { OutcomeNode } from '../runbook/schema.js';
import { wrap } from './wrap.js';

export function renderOutcomeHeader(id: string, node: OutcomeNode, c: ChalkInstance, columns: number): string {
  const lines = ['', wrap(`${c.green.bold('■ ' + node.title)}  ${c.dim(`[${id}]`)}`, columns, '', '  ')];
  if (node.explanation) lines.push(wrap(node.explanation, columns, '  '));
  return lines.join('\n') + '\n';
}

export function renderTierHeading(tier: { tier: string; timeframe?: string }, c: ChalkInstance): string {
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
