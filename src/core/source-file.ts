// A source file's text (a runbook, a config), read no further than a size limit: past it, a
// finding on the line where the limit falls, and the rest is never read. Kept apart from the
// YAML reader so that a command served from the cache reads its files without loading it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Finding } from './findings.js';

/** 400 times the largest shipped runbook; a runbook with 50k probes fits. */
export const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

const SIZE_MESSAGE = `the file passes ${MAX_SOURCE_BYTES / 1024 / 1024} MiB here: mangaops reads no larger YAML file`;

function lineAtLimit(bytes: Buffer): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < MAX_SOURCE_BYTES; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

/**
 * The file's text, or a finding (and the errno `code` when it could not be read at all).
 * Read synchronously: a runbook is small, and a round trip through the thread pool per call
 * cost more at start-up than the read itself.
 */
export async function readSourceFile(path: string, file: string): Promise<{ text: string } | { error: Finding; code?: string }> {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(Math.min(fstatSync(fd).size, MAX_SOURCE_BYTES) + 1);
    let length = 0;
    while (length < buffer.length) {
      const bytesRead = readSync(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > MAX_SOURCE_BYTES) return { error: { file, line: lineAtLimit(buffer), path: '', message: SIZE_MESSAGE } };
    return { text: buffer.toString('utf8', 0, length) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { error: { file, path: '', message: `cannot read: ${code ?? String(e)}` }, code };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
