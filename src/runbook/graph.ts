// The tree back as a mermaid flowchart or an indented text tree. Both are authoring views: they
// show what the walk never says on screen — which nodes and edges were added to the seed's
// flowcharts (dashed, "extension") — and the mermaid keeps the seed's node colours.
import type { Node, Runbook } from './schema.js';

function nodeText(node: Node): string {
  return node.type === 'decision' ? node.question : node.type === 'outcome' ? node.title : node.text;
}

/** Mermaid ids cannot hold '-' or '.'; node ids map one to one onto these. */
const mermaidId = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');
/** Mermaid's entity codes keep quotes and pipes from ending a label early. */
const mermaidText = (text: string) => text.replace(/"/g, '#quot;').replace(/\n+/g, ' ');

interface Edge {
  from: string;
  to: string;
  label?: string;
  /** Marked in the data as an addition to the seed's flowcharts. */
  added: boolean;
}

function edgesOf(id: string, node: Node): Edge[] {
  if (node.type === 'decision') return node.branches.map((b) => ({ from: id, to: b.to, label: b.label, added: b.extension === true }));
  return node.next ? [{ from: id, to: node.next, added: node.nextExtension === true }] : [];
}

function edgeList(rb: Runbook): Edge[] {
  return Object.entries(rb.nodes).flatMap(([id, node]) => edgesOf(id, node));
}

export function toMermaid(rb: Runbook): string {
  const lines = ['flowchart TD'];
  for (const [id, node] of Object.entries(rb.nodes)) {
    const text = mermaidText(nodeText(node));
    lines.push(node.type === 'decision' ? `  ${mermaidId(id)}{"${text}"}` : `  ${mermaidId(id)}["${text}"]`);
  }
  for (const e of edgeList(rb)) {
    const label = e.label === undefined ? '' : `|"${mermaidText(e.label)}"|`;
    lines.push(`  ${mermaidId(e.from)} ${e.added ? '-.->' : '-->'}${label} ${mermaidId(e.to)}`);
  }
  const nodes = Object.entries(rb.nodes);
  // Outcomes the seed gives no colour of its own are green, as its actions are.
  const outcomes = nodes.filter(([, n]) => n.type === 'outcome' && !n.style).map(([id]) => mermaidId(id));
  const extensions = nodes.filter(([, n]) => n.extension).map(([id]) => mermaidId(id));
  lines.push('  classDef outcome fill:#2ecc71,color:#000');
  lines.push('  classDef extension stroke-dasharray: 5 5');
  if (outcomes.length) lines.push(`  class ${outcomes.join(',')} outcome`);
  if (extensions.length) lines.push(`  class ${extensions.join(',')} extension`);
  for (const [id, n] of nodes) if (n.style) lines.push(`  style ${mermaidId(id)} ${n.style}`);
  return lines.join('\n') + '\n';
}

/** An indented tree; a node met again (merged flowcharts, loops) is referenced, not repeated. */
export function toText(rb: Runbook): string {
  const lines: string[] = [];
  const seen = new Set<string>();
  const mark = (node: Node) => (node.type === 'decision' ? '?' : node.type === 'outcome' ? '■' : '·');
  const visit = (id: string, indent: string, label: string | undefined, added: boolean) => {
    const node = rb.nodes[id];
    const edge = [label, added ? 'extension' : undefined].filter(Boolean).join(', ');
    const prefix = edge ? `${indent}[${edge}] ` : indent;
    if (!node) return void lines.push(`${prefix}(missing node ${id})`);
    const ext = node.extension ? ' (extension)' : '';
    if (seen.has(id)) return void lines.push(`${prefix}↪ ${nodeText(node)} (see ${id})`);
    seen.add(id);
    lines.push(`${prefix}${mark(node)} ${nodeText(node)}${ext}  {${id}}`);
    if (node.type === 'decision') node.branches.forEach((b) => visit(b.to, indent + '    ', b.label, b.extension === true));
    else if (node.next) visit(node.next, indent + (node.type === 'outcome' ? '    ' : ''), undefined, node.nextExtension === true);
  };
  visit(rb.root, '', undefined, false);
  return lines.join('\n') + '\n';
}
