// A finding is one problem in one file at one place: `file:line path: message`.
export interface Finding {
  file: string;
  line?: number;
  /** Dotted path inside the document, e.g. nodes.check-pool.branches.0.to */
  path: string;
  message: string;
}

export function formatFinding(f: Finding): string {
  const where = f.line === undefined ? f.file : `${f.file}:${f.line}`;
  return f.path ? `${where} ${f.path}: ${f.message}` : `${where} ${f.message}`;
}

export function pathString(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}
