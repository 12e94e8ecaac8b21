// `mkdir -p` that fails instead of spinning. Node's own recursive mkdir reads ENOENT as "a
// parent is missing", makes the parent (EEXIST: it is there) and tries the child again — for
// ever, at 100 % CPU, where the child can never exist: procfs answers ENOENT to any mkdir
// (`--journal /proc/x/y.jsonl`), and so does a path through a dangling symlink. Here the
// nearest existing ancestor is found first and each missing folder is made once: the first
// error is the answer.
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function isDirectory(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
  throw Object.assign(new Error(`ENOTDIR: not a directory, '${path}'`), { code: 'ENOTDIR', path });
}

/** Make `dir` and its missing parents (each with `mode`); throws the first error, never loops. */
export function makeDirs(dir: string, mode?: number): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !isDirectory(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d, { mode });
    } catch (e) {
      // Another process made it between our look and our mkdir: that is what we wanted.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || !isDirectory(d)) throw e;
    }
  }
}
