// Sample files for `regress` and `gate`: one number per line, a CSV column, or a JSON array.
// Whatever is wrong is a UsageError naming the file and line, so no NaN ever reaches the test.
import { readFile } from 'node:fs/promises';
import { UsageError } from '../core/errors.js';

export interface SampleFileOptions {
  /** A CSV column: a header name, or a 1-based position (as `cut -f` counts). */
  column?: string | number;
}

export interface Samples {
  values: number[];
  /** The file name as given, for messages and the output. */
  source: string;
  format: 'lines' | 'csv' | 'json';
  /** The header skipped, if any (the CSV column's name, or a list's first line). */
  header?: string;
}

// A plain decimal number: what a benchmark writes. Not hex, not "Infinity", not "12ms".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toNumber(text: string): number | undefined {
  const t = text.trim();
  if (!NUMBER.test(t)) return undefined;
  const v = Number(t);
  return Number.isFinite(v) ? v : undefined;
}

/** "NaN" or "Infinity" are numbers gone wrong, never a header. */
const NOT_A_NUMBER = /^[+-]?(nan|inf(inity)?)$/i;

/** A column name on a list's first line. */
function isHeaderName(text: string): boolean {
  const t = text.trim();
  return /^[A-Za-z_"'][^,\t]*$/.test(t) && !NOT_A_NUMBER.test(t);
}

function shown(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 40 ? `${t.slice(0, 37)}...` : t);
}

interface Line {
  no: number;
  text: string;
}

/** Non-blank lines, without `#` comments, numbered from 1. */
function contentLines(text: string): Line[] {
  const out: Line[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.replace(/^\uFEFF/, '');
    if (t.trim() === '' || t.trimStart().startsWith('#')) return;
    out.push({ no: i + 1, text: t });
  });
  return out;
}

/** Split one CSV record: commas (or tabs in a tab-separated file), double-quoted fields. */
function splitCsv(line: string, sep: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cell += '"'; i++; }
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) { cells.push(cell); cell = ''; }
    else cell += ch;
  }
  cells.push(cell);
  return cells.map((c) => c.trim());
}

function parseLines(source: string, lines: Line[]): Samples {
  const values: number[] = [];
  let header: string | undefined;
  lines.forEach((line, i) => {
    const v = toNumber(line.text);
    if (v !== undefined) return void values.push(v);
    // A name on the first line is a header ("latency_ms"); anywhere else it is an error.
    if (i === 0 && isHeaderName(line.text)) return void (header = line.text.trim());
    throw new UsageError(`${source}:${line.no}: ${shown(line.text)} is not a number`, 'a sample file has one number per line; for a CSV pass --column');
  });
  return { values, source, format: 'lines', ...(header !== undefined && { header }) };
}

function parseCsv(source: string, lines: Line[], column: string | number | undefined): Samples {
  const first = lines[0]!;
  const sep = first.text.includes(',') || !first.text.includes('\t') ? ',' : '\t';
  const head = splitCsv(first.text, sep);
  if (column === undefined) {
    throw new UsageError(
      `${source}:${first.no}: ${head.length} columns (${head.map((h) => JSON.stringify(h)).join(', ')}); which one holds the samples?`,
      'pass --column with a header name or a 1-based position',
    );
  }
  let index = head.indexOf(String(column));
  let header: string | undefined = index >= 0 ? head[index] : undefined;
  if (index < 0) {
    const position = typeof column === 'number' ? column : /^\d+$/.test(column.trim()) ? Number(column) : NaN;
    if (!Number.isInteger(position)) {
      throw new UsageError(`${source}:${first.no}: no column named ${JSON.stringify(column)}; the header has ${head.map((h) => JSON.stringify(h)).join(', ')}`);
    }
    if (position < 1 || position > head.length) {
      throw new UsageError(`${source}:${first.no}: column ${position} does not exist; there ${head.length === 1 ? 'is 1 column' : `are ${head.length} columns`}, counted from 1`);
    }
    index = position - 1;
    // By position the header is optional: a first row that is not a number is one.
    if (toNumber(head[index]!) === undefined && !NOT_A_NUMBER.test(head[index]!)) header = head[index];
  }
  const values: number[] = [];
  for (const line of header === undefined ? lines : lines.slice(1)) {
    const cells = splitCsv(line.text, sep);
    const cell = cells[index];
    if (cell === undefined) {
      throw new UsageError(`${source}:${line.no}: only ${cells.length} column${cells.length === 1 ? '' : 's'}, no column ${index + 1}${header ? ` (${JSON.stringify(header)})` : ''}`);
    }
    const v = toNumber(cell);
    if (v === undefined) {
      throw new UsageError(`${source}:${line.no}: ${shown(cell)} in column ${header ? JSON.stringify(header) : index + 1} is not a number`);
    }
    values.push(v);
  }
  return { values, source, format: 'csv', ...(header !== undefined && { header }) };
}

/** The line of each top-level element of a JSON array, in order (strings and nesting skipped). */
function jsonElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (/\s/.test(ch)) continue;
    if (depth === 1 && expectValue && ch !== ']') { lines.push(line); expectValue = false; }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') { depth++; if (depth === 1) expectValue = true; }
    else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectValue = true;
  }
  return lines;
}

function parseJson(source: string, text: string, column: string | number | undefined): Samples {
  if (column !== undefined) throw new UsageError(`${source}: --column applies to CSV files; this is a JSON array`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${source}: not valid JSON (${(e as Error).message})`, 'a JSON sample file is one array of numbers: [1180, 1243, …]');
  }
  if (!Array.isArray(data)) throw new UsageError(`${source}: a JSON sample file is one array of numbers`);
  const lines = jsonElementLines(text);
  const values = data.map((item: unknown, i) => {
    if (typeof item === 'number' && Number.isFinite(item)) return item;
    throw new UsageError(`${source}:${lines[i] ?? 1}: element ${i + 1} of the array is ${JSON.stringify(item)}, not a number`);
  });
  return { values, source, format: 'json' };
}

/**
 * Parse a sample file's text. `source` names it in messages. Throws a UsageError for an empty
 * file, anything that is not a finite number, or fewer than `minCount` samples (default 1).
 */
export function parseSamples(text: string, source: string, options: SampleFileOptions & { minCount?: number } = {}): Samples {
  const lines = contentLines(text);
  if (lines.length === 0) throw new UsageError(`${source}: no samples (the file is empty)`);
  let samples: Samples;
  if (lines[0]!.text.trimStart().startsWith('[')) samples = parseJson(source, text, options.column);
  else if (options.column !== undefined || /[,\t]/.test(lines[0]!.text)) samples = parseCsv(source, lines, options.column);
  else samples = parseLines(source, lines);
  const min = options.minCount ?? 1;
  if (samples.values.length < min) {
    const what = samples.values.length === 0 ? 'no samples' : `only ${samples.values.length} sample${samples.values.length === 1 ? '' : 's'}`;
    throw new UsageError(`${source}: ${what}${samples.header ? ` under the header ${JSON.stringify(samples.header)}` : ''}; need at least ${min}`);
  }
  return samples;
}

/** Read and parse a sample file; a missing or unreadable file is a UsageError too. */
export async function readSamples(file: string, options: SampleFileOptions & { minCount?: number } = {}): Promise<Samples> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: cannot read the sample file (${code === 'ENOENT' ? 'no such file' : code ?? String(e)})`);
  }
  return parseSamples(text, file, options);
}
