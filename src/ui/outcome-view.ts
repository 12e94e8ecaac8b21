// The diagnosis screen: what it is, why, and what to do by tier; prevention last.
import type { ChalkInstance } from 'chalk';
import type { OutcomeNode } from '../runbook/schema.js';

export function wrap(text: string, width: number, indent: string): string {
  const out: string[] = [];
  for (const para of text.split(/\n\s*\n/)) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      if (line && (indent + line + ' ' + word).length > width) {
        out.push(indent + line);
        line = word;
      } else {
        line = line ? `${line} ${word}` : word;
      }
    }
    if (line) out.push(indent + line);
  }
  return out.join('\n');
}

export function renderOutcomeHeader(id: string, node: OutcomeNode, c: ChalkInstance, columns: number): string {
  const tag = node.extension ? c.dim(' (extension)') : '';
  const lines = ['', `${c.green.bold('■ ' + node.title)}${tag}  ${c.dim(`[${id}]`)}`];
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
    lines.push(wrap(`- ${p.measure}${p.implementation ? ` — ${p.implementation}` : ''}`, columns, '    ') + who);
  }
  return lines.join('\n') + '\n';
}
