// Text wrapped for a terminal of a given width.

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
