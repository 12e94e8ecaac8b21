import type { Io } from '../core/io.js';
import { toMermaid, toText } from '../runbook/graph.js';
import { runbookFor, type CommonOptions } from './context.js';

export async function graph(options: CommonOptions & { scenario: string; format: 'mermaid' | 'text' }, io: Io): Promise<number> {
  const { loaded } = await runbookFor(options.scenario, options, io);
  io.stdout.write(options.format === 'text' ? toText(loaded.runbook) : toMermaid(loaded.runbook));
  return 0;
}
