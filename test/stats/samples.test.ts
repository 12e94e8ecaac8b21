import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { parseSamples, readSamples } from '../../src/stats/samples.js';

const parse = (text: string, column?: string | number) => parseSamples(text, 'run.txt', column === undefined ? {} : { column });

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('one number per line', () => {
  it('reads numbers, skipping blank lines, # comments and CRLF endings', () => {
    const s = parse('# ms\n1180\n\r\n1243.5\r\n-3\n1e3\n');
    expect(s.values).toEqual([1180, 1243.5, -3, 1000]);
    expect(s.format).toBe('lines');
  });
  it('skips a header name on the first line and says so', () => {
    const s = parse('latency_ms\n1180\n1200\n');
    expect(s.values).toEqual([1180, 1200]);
    expect(s.header).toBe('latency_ms');
  });
  it('names the file and line of a value that is not a number', () => {
    expect(usageError(() => parse('1180\n1200\n12ms\n')).message).toBe('run.txt:3: "12ms" is not a number');
  });
  it('never lets NaN or Infinity through, even on the first line', () => {
    expect(usageError(() => parse('NaN\n1\n')).message).toBe('run.txt:1: "NaN" is not a number');
    expect(usageError(() => parse('1\nInfinity\n')).message).toMatch(/^run.txt:2: "Infinity" is not a number/);
  });
  it('says an empty file is empty', () => {
    expect(usageError(() => parse('\n  \n# nothing\n')).message).toBe('run.txt: no samples (the file is empty)');
  });
  it('says a header alone has no samples', () => {
    expect(usageError(() => parse('latency_ms\n')).message).toBe('run.txt: no samples under the header "latency_ms"; need at least 1');
  });
  it('enforces a minimum count when asked', () => {
    expect(usageError(() => parseSamples('1\n2\n', 'run.txt', { minCount: 3 })).message).toBe('run.txt: only 2 samples; need at least 3');
  });
});

describe('CSV', () => {
  const csv = 'request_id,latency_ms,"first token, ms"\nr1,1180,400\nr2,1243,420\n';
  it('reads a column by header name', () => {
    expect(parse(csv, 'latency_ms').values).toEqual([1180, 1243]);
    expect(parse(csv, 'first token, ms').values).toEqual([400, 420]);
  });
  it('reads a column by 1-based position, with or without a header', () => {
    expect(parse(csv, '2').values).toEqual([1180, 1243]);
    expect(parse('1,10\n2,20\n', 2).values).toEqual([10, 20]);
  });
  it('reads tab-separated files', () => {
    expect(parse('a\tb\n1\t2\n3\t4\n', 'b').values).toEqual([2, 4]);
  });
  it('asks which column when there are several and none was named', () => {
    const e = usageError(() => parse(csv));
    expect(e.message).toBe('run.txt:1: 3 columns ("request_id", "latency_ms", "first token, ms"); which one holds the samples?');
    expect(e.hint).toMatch(/--column/);
  });
  it('names a missing column and what the header has', () => {
    expect(usageError(() => parse(csv, 'p95')).message).toBe('run.txt:1: no column named "p95"; the header has "request_id", "latency_ms", "first token, ms"');
    expect(usageError(() => parse(csv, '4')).message).toBe('run.txt:1: column 4 does not exist; there are 3 columns, counted from 1');
  });
  it('names the line and column of a bad cell', () => {
    expect(usageError(() => parse('id,ms\na,1\nb,\nc,3\n', 'ms')).message).toBe('run.txt:3: "" in column "ms" is not a number');
    expect(usageError(() => parse('id,ms\na,1\nb\n', 'ms')).message).toBe('run.txt:3: only 1 column, no column 2 ("ms")');
  });
});

describe('JSON array', () => {
  it('reads an array of numbers', () => {
    const s = parse('[1180, 1243.5,\n 990]');
    expect(s.values).toEqual([1180, 1243.5, 990]);
    expect(s.format).toBe('json');
  });
  it('names the line and element of a value that is not a number', () => {
    expect(usageError(() => parse('[\n  1180,\n  "fast",\n  990\n]')).message).toBe('run.txt:3: element 2 of the array is "fast", not a number');
    expect(usageError(() => parse('[1, null]')).message).toBe('run.txt:1: element 2 of the array is null, not a number');
  });
  it('says when the JSON is broken or not an array', () => {
    expect(usageError(() => parse('[1, 2,')).message).toMatch(/^run.txt: not valid JSON/);
    expect(usageError(() => parse('[]')).message).toBe('run.txt: no samples; need at least 1');
  });
  it('refuses --column on a JSON file', () => {
    expect(usageError(() => parse('[1]', 'ms')).message).toBe('run.txt: --column applies to CSV files; this is a JSON array');
  });
});

describe('reading files', () => {
  it('reads from disk and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mangaops-samples-'));
    writeFileSync(join(dir, 'a.txt'), '1\n2\n');
    expect((await readSamples(join(dir, 'a.txt'))).values).toEqual([1, 2]);
    await expect(readSamples(join(dir, 'missing.txt'))).rejects.toThrow(`${join(dir, 'missing.txt')}: cannot read the sample file (no such file)`);
  });
});
