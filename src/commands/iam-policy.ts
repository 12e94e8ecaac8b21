// `mangaops iam-policy [<scenario>]`: the least-privilege policies for one runbook (or all):
// `{ reads, writes }` as JSON on stdout — reads for a diagnose, writes for its fixes — and
// what IAM cannot express (Redis AUTH, the task role's ECS Exec channels…) on stderr.
import type { Io } from '../core/io.js';
import { iamPolicies, whereOf } from '../capabilities/policies.js';
import { findRunbook, loadAll } from '../runbook/catalog.js';
import { configFor } from './context.js';

export async function iamPolicy(options: { scenario?: string; json?: boolean; config?: string; region?: string }, io: Io): Promise<number> {
  const config = await configFor(options, io);
  const runbooks = options.scenario ? [(await findRunbook(options.scenario, config)).runbook] : (await loadAll(config)).map((l) => l.runbook);
  const { reads, writes, notes } = iamPolicies(runbooks, config, whereOf(config, io.env, options.region));
  io.stdout.write(`${JSON.stringify({ reads, writes }, null, 2)}\n`);
  for (const note of notes) io.stderr.write(`note: ${note}\n`);
  return 0;
}
