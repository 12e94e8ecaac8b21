// The checked form of a runbook's text, as compile.ts makes it and the cache keeps it.
import type { LineTable } from '../core/yaml-positions.js';
import type { Runbook } from './schema.js';

export interface Placeholder {
  key: string;
  path: PropertyKey[];
}

/** What checking a runbook's text yields (JSON all through). */
export interface CompiledRunbook {
  /** As written, placeholders intact, defaults filled in by the schema. */
  written: Runbook;
  /** Every ${key} in the text, where it stands (lint checks them against the config). */
  placeholders: Placeholder[];
  /** The line of every node, by path. */
  lines: LineTable;
}
