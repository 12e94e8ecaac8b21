// The tree back as a mermaid flowchart or an indented text tree.
import type { Node, Runbook } from './schema.js';

function nodeText(node: Node): string {
  return node.type === 'decision' ? node.question : node.type === 'outcome' ? node.title : node.text;
}

/** Mermaid ids cannot hold '-' or '.'; node ids map one to one onto these. */
const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
/** Mermaid's entity codes keep quotes and pipes from ending a label early. */
const mermaidText = (text: string) => text.replace(/"/g, '#quot;').replace(/\n+/g, ' ');

function edgeList(rb: Runbook): { from: string; to: string; label?: string }[] {
  return Object.entries(rb.nodes).flatMap(([id, node]) => {
    if (node.type === 'decision') return node.branches.map((b) => ({ from: id, to: b.to, label: b.label }));
    return node.next ? [{ from: id, to: node.next }] : [];
  });
}

export function toMermaid(rb: Runbook): string {
  const lines = ['flowchart TD'];
  for (const [id, node] of Object.entries(rb.nodes)) {
    const text = mermaidText(nodeText(node));
    lines.push(node.type === 'decision' ? `  ${mermaidId(id)}{"${text}"}` : `  ${mermaidId(id)}["${text}"]`);
  }
  for (const e of edgeList(rb)) {
    const label = e.label === undefined ? '' : `|"${mermaidText(e.label)}"|`;
    lines.push(`  ${mermaidId(e.from)} -->${label} ${mermaidId(e.to)}`);
  }
  const outcomes = Object.entries(rb.nodes).filter(([, n]) => n.type === 'outcome').map(([id]) => mermaidId(id));
  const extensions = Object.entries(rb.nodes).filter(([, n]) => n.extension).map(([id]) => mermaidId(id));
  lines.push('  classDef outcome fill:#2ecc71,color:#000');
  lines.push('  classDef extension stroke-dasharray: 5 5');
  if (outcomes.length) lines.push(`  class ${outcomes.join(',')} outcome`);
  if (extensions.length) lines.push(`  class ${extensions.join(',')} extension`);
  return lines.join('\n') + '\n';
}

/** An indented tree; a node met again (merged flowcharts, loops) is referenced, not repeated. */
export function toText(rb: Runbook): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  const mark = (node: Node) => (node.type === 'decision' ? '?' : node.type === 'outcome' ? '■' : '·');
  const visit = (id: string, indent: string, label: string | undefined) => {
    const node = rb.nodes[id];
    const prefix = label === undefined ? indent : `${indent}[${label}] `;
    if (!node) return void lines.push(`${prefix}(missing node ${id})`);
    const ext = node.extension ? ' (extension)' : '';
    if (seen.has(id)) return void lines.push(`${prefix}↪ ${nodeText(node)} (see ${id})`);
    seen.add(id);
    lines.push(`${prefix}${mark(node)} ${nodeText(node)}${ext}  {${id}}`);
    if (node.type === 'decision') node.branches.forEach((b) => visit(b.to, indent + '    ', b.label));
    else if (node.next) visit(node.next, indent + (node.type === 'outcome' ? '    ' : ''), undefined);
  };
  visit(rb.root, '', undefined);
  return lines.join('\n') + '\n';
}
