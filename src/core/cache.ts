// A cache of checked results (a validated runbook, the merged config) under
// $XDG_CACHE_HOME/mangaops/ (else ~/.cache/mangaops/), so that what has not changed is not
// parsed and validated again: one hash of the source and one JSON.parse instead.
//
// Never trusted when stale or wrong: an entry is used only when its key — the sha256 of the
// sources it was made from and the build that made it — is exactly the one asked for, and its
// body still has the checksum it was written with. Anything else is a miss and the caller
// rebuilds. Only a value that comes back from JSON exactly as it went in is stored. Writing is
// best effort (a temporary file renamed into place, so a reader never sees half an entry): a
// cache that cannot be written costs speed, never a command.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { makeDirs } from './dirs.js';

export interface Entry {
  value: unknown;
  /** The detail stored with it, parsed only when asked for (undefined if none was stored). */
  detail(): unknown;
}

export interface Cache {
  /** What was stored under `name` for exactly this key, else undefined. */
  read(name: string, key: string): Entry | undefined;
  /** Store `value`, and a `detail` most readers never need (it is parsed only on demand). */
  write(name: string, key: string, value: unknown, detail?: unknown): void;
}

/** Plain JSON data all through: what JSON.parse gives back exactly as it was. */
function isPlainJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlainJson(v[i])) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in v) if (!isPlainJson((v as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

/** JSON that comes back exactly as it went in, else undefined (not stored). */
function exactJson(value: unknown): string | undefined {
  return isPlainJson(value) ? JSON.stringify(value) : undefined;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The XDG cache folder for mangaops; none without XDG_CACHE_HOME or HOME. */
export function cacheDir(env: NodeJS.ProcessEnv): string | undefined {
  // The XDG spec ignores a relative XDG_CACHE_HOME.
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : env.HOME ? join(env.HOME, '.cache') : undefined;
  return base && join(base, 'mangaops');
}

/**
 * The cache for this build, or none: `build` identifies the code that reads and checks the
 * sources (scripts/build.mjs sets it in the bundle); run from src/, there is none, so an edit to
 * the schema can never meet an entry written before it.
 */
export function openCache(env: NodeJS.ProcessEnv, build: string | undefined = process.env.MANGAOPS_BUILD): Cache | undefined {
  const dir = cacheDir(env);
  if (!dir || !build) return undefined;
  const fileOf = (name: string) => join(dir, `${name}.json`);
  return {
    read(name, key) {
      let text: string;
      try {
        text = readFileSync(fileOf(name), 'utf8');
      } catch {
        return undefined;
      }
      try {
        // header \n value [\n detail]: the checksum covers everything after the header.
        const cut = text.indexOf('\n');
        const head = JSON.parse(text.slice(0, cut)) as { key?: unknown; sum?: unknown };
        const body = text.slice(cut + 1);
        if (head.key !== `${build}:${key}` || head.sum !== sha256(body)) return undefined;
        const split = body.indexOf('\n');
        const value: unknown = JSON.parse(split === -1 ? body : body.slice(0, split));
        return { value, detail: () => (split === -1 ? undefined : JSON.parse(body.slice(split + 1))) };
      } catch {
        return undefined;
      }
    },
    write(name, key, value, detail) {
      try {
        const parts = [exactJson(value), ...(detail === undefined ? [] : [exactJson(detail)])];
        if (parts.includes(undefined)) return;
        const body = parts.join('\n');
        makeDirs(dir, 0o700);
        const file = fileOf(name);
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, `${JSON.stringify({ key: `${build}:${key}`, sum: sha256(body) })}\n${body}`, { mode: 0o600 });
        renameSync(temporary, file);
      } catch {
        // Best effort: the next run parses again.
      }
    },
  };
}
