// The CLI's entry to `regress` and `gate`: what only the CLI knows — the runbooks' metric
// probes, the config's budgets, the live CloudWatch adapter (loaded only for --metric).
import type { Io } from '../core/io.js';
import { loadAll } from '../runbook/catalog.js';
import type { SeriesQuery } from '../stats/series-source.js';
import { cacheFor, configFor, type CommonOptions } from './context.js';
import { gate, type GateOptions } from './gate.js';
import { regress, type RegressOptions } from './regress.js';

export async function regressCli(options: CommonOptions & RegressOptions, io: Io): Promise<number> {
  if (options.metric === undefined) return regress(options, io);
  const config = await configFor(options, io);
  const probes: Record<string, SeriesQuery> = {};
  for (const { runbook } of await loadAll(config, cacheFor(io))) {
    for (const [id, p] of Object.entries(runbook.probes)) {
      if (p.kind !== 'metric' && p.kind !== 'regress') continue;
      const query = { namespace: p.namespace, metric: p.metric, dimensions: p.dimensions, stat: p.stat, period: p.period };
      probes[`${runbook.id}:${id}`] = query;
      probes[id] ??= query;
    }
  }
  const [{ createAws }, { cloudWatchSeries }] = await Promise.all([import('../capabilities/aws.js'), import('../capabilities/cloudwatch/series.js')]);
  const aws = createAws({ config, region: options.region, profile: options.profile, env: io.env });
  return regress({ ...options, probes, series: cloudWatchSeries(aws, { now: () => new Date(io.now()) }) }, io);
}

export async function gateCli(options: CommonOptions & Omit<GateOptions, 'budgets'>, io: Io): Promise<number> {
  const config = await configFor(options, io);
  return gate({ ...options, budgets: config.budgets }, io);
}
