// The checked form of a runbook's text, as compile.ts makes it and the cache keeps it.
import type { LineTree } from '../core/yaml-positions.js';
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
  /** Where `written` holds a placeholder, each path once: all that resolving them must visit. */
  resolve: PropertyKey[][];
}

/** The line of every node; the cache keeps it apart, read only when a finding needs a line. */
export type Lines = () => LineTree | undefined;
