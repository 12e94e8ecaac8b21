// `mangaops diagnose <id> --preflight`: every read a walk of this tree makes, called once
// with the current credentials, reported per probe as ok / denied / not found / error — so a
// missing IAM permission or a renamed table is found in daylight, not at 20:15. CloudWatch
// probes share one GetMetricData (as in a walk) over the last day; a metric with no
// datapoints in a day is reported "not found" (a dimension typo looks exactly like that).
import { createAws, classifyError, credentialsError, errorLine, errorName, isCredentialsError, type Aws } from '../../aws/clients.js';
import type { Config } from '../../runbook/placeholders.js';
import type { Probe, Runbook } from '../../runbook/schema.js';
import { getMetricData, isCloudWatchProbe } from './cloudwatch.js';
import { describeServices } from './ecs.js';
import { ACTIVATED_AT } from './dynamodb.js';
import { countQuery } from './logs.js';

export type PreflightStatus = 'ok' | 'denied' | 'not found' | 'error';

export interface PreflightRow {
  probe: string;
  call: string;
  status: PreflightStatus;
  detail: string;
}

export interface PreflightOptions {
  config: Config;
  region?: string;
  profile?: string;
  env: NodeJS.ProcessEnv;
  /** Per call; default 10 s (daylight: no hurry, but no hang either). */
  timeoutMs?: number;
}

const DAY_MS = 86_400_000;

function row(probe: string, call: string, status: PreflightStatus, detail: string): PreflightRow {
  return { probe, call, status, detail };
}

/** A failed call as a row; credentials stop the whole preflight with the same line as a walk. */
function failed(aws: Aws, probe: string, call: string, error: unknown): PreflightRow {
  if (isCredentialsError(error)) throw credentialsError(error, aws);
  const kind = classifyError(error);
  const status: PreflightStatus = kind === 'denied' ? 'denied' : kind === 'not found' ? 'not found' : 'error';
  return row(probe, call, status, `${errorName(error)}: ${errorLine(error)}`);
}

async function attempt(aws: Aws, probe: string, call: string, work: () => Promise<string | PreflightRow>): Promise<PreflightRow> {
  try {
    const r = await work();
    return typeof r === 'string' ? row(probe, call, 'ok', r) : r;
  } catch (error) {
    return failed(aws, probe, call, error);
  }
}

async function cloudWatchRows(aws: Aws, probes: [string, Probe][], signal: () => AbortSignal): Promise<PreflightRow[]> {
  const cw = probes.filter(([, p]) => isCloudWatchProbe(p));
  if (cw.length === 0) return [];
  const call = 'cloudwatch:GetMetricData';
  const end = new Date();
  const start = new Date(end.getTime() - DAY_MS);
  try {
    const client = await aws.cloudwatch();
    const queries = cw.map(([, p], i) => {
      const m = p as Extract<Probe, { kind: 'metric' | 'regress' }>;
      return { id: `q${i}`, metric: { namespace: m.namespace, metric: m.metric, dimensions: m.dimensions, stat: m.stat, period: 3600 } };
    });
    const series = await getMetricData(client, queries, start, end, signal());
    return cw.map(([id, p], i) => {
      const s = series.get(`q${i}`)!;
      const m = p as Extract<Probe, { kind: 'metric' | 'regress' }>;
      const name = `${m.namespace} ${m.metric}${Object.keys(m.dimensions).length ? ` ${JSON.stringify(m.dimensions)}` : ''}`;
      if (s.status === 'Forbidden') return row(id, call, 'denied', `Forbidden for ${name}`);
      if (s.points.length === 0) return row(id, call, 'not found', `no datapoints for ${name} in the last 24 h: check namespace, metric and dimensions`);
      return row(id, call, 'ok', `${s.points.length} hourly datapoints in the last 24 h`);
    });
  } catch (error) {
    return cw.map(([id]) => failed(aws, id, call, error));
  }
}

async function probeRows(aws: Aws, id: string, probe: Probe, signal: () => AbortSignal): Promise<PreflightRow[]> {
  switch (probe.kind) {
    case 'metric':
    case 'regress':
      return [];
    case 'ecs.service': {
      const rows = [
        await attempt(aws, id, 'ecs:DescribeServices', async () => {
          const { found, missing } = await describeServices(await aws.ecs(), probe.cluster, [probe.service], signal());
          const s = found.get(probe.service);
          if (!s) return row(id, 'ecs:DescribeServices', 'not found', `service ${probe.service} in cluster ${probe.cluster}: ${missing.get(probe.service) ?? 'MISSING'}`);
          return `${probe.service}: ${s.status}, ${s.runningCount}/${s.desiredCount} running`;
        }),
      ];
      if (probe.field === 'taskRestarts') {
        let arns: string[] = [];
        rows.push(
          await attempt(aws, id, 'ecs:ListTasks', async () => {
            const ecs = await aws.ecs();
            const res = await ecs.client.send(new ecs.sdk.ListTasksCommand({ cluster: probe.cluster, serviceName: probe.service, desiredStatus: 'STOPPED', maxResults: 10 }), { abortSignal: signal() });
            arns = res.taskArns ?? [];
            return `${arns.length} stopped tasks listed`;
          }),
        );
        rows.push(
          arns.length === 0
            ? row(id, 'ecs:DescribeTasks', 'ok', 'not called: no stopped task to describe (it is checked on the next preflight that finds one)')
            : await attempt(aws, id, 'ecs:DescribeTasks', async () => {
                const ecs = await aws.ecs();
                await ecs.client.send(new ecs.sdk.DescribeTasksCommand({ cluster: probe.cluster, tasks: arns.slice(0, 1) }), { abortSignal: signal() });
                return 'described one stopped task';
              }),
        );
      }
      return rows;
    }
    case 'dynamodb.stream':
      return [
        await attempt(aws, id, 'dynamodb:DescribeTable', async () => {
          const d = await aws.dynamodb();
          const res = await d.client.send(new d.sdk.DescribeTableCommand({ TableName: probe.table }), { abortSignal: signal() });
          return `${probe.table}: ${res.Table?.TableStatus ?? '?'}, stream ${res.Table?.StreamSpecification?.StreamEnabled ? 'on' : 'off'}`;
        }),
      ];
    case 'dynamodb.stock':
      return [
        await attempt(aws, id, 'dynamodb:BatchGetItem', async () => {
          const d = await aws.dynamodb();
          const key = probe.products[0] ?? 'mangaops-preflight';
          const res = await d.client.send(
            new d.sdk.BatchGetItemCommand({ RequestItems: { [probe.table]: { Keys: [{ [probe.keyAttribute]: { S: key } }] } } }),
            { abortSignal: signal() },
          );
          const n = res.Responses?.[probe.table]?.length ?? 0;
          return probe.products.length ? `${key}: ${n ? 'found' : 'not in the table'}` : 'readable (no product listed: a probe key was read)';
        }),
      ];
    case 'dynamodb.activations':
      return [
        await attempt(aws, id, 'dynamodb:Scan', async () => {
          const d = await aws.dynamodb();
          const res = await d.client.send(
            new d.sdk.ScanCommand({ TableName: probe.table, Limit: 25, ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': ACTIVATED_AT } }),
            { abortSignal: signal() },
          );
          const stamped = (res.Items ?? []).filter((i) => i[ACTIVATED_AT]).length;
          return `${probe.table}: ${stamped} of ${res.Items?.length ?? 0} items read carry ${ACTIVATED_AT}`;
        }),
      ];
    case 'logs.count': {
      let queryId: string | undefined;
      const rows = [
        await attempt(aws, id, 'logs:StartQuery', async () => {
          const logs = await aws.logs();
          const end = Math.floor(Date.now() / 1000);
          const res = await logs.client.send(
            new logs.sdk.StartQueryCommand({ logGroupName: probe.logGroup, startTime: end - 300, endTime: end, queryString: countQuery(probe.filter) }),
            { abortSignal: signal() },
          );
          queryId = res.queryId;
          return `query started on ${probe.logGroup}`;
        }),
      ];
      if (queryId) {
        const q = queryId;
        rows.push(
          await attempt(aws, id, 'logs:GetQueryResults', async () => {
            const logs = await aws.logs();
            const res = await logs.client.send(new logs.sdk.GetQueryResultsCommand({ queryId: q }), { abortSignal: signal() });
            return `status ${res.status ?? '?'}`;
          }),
          await attempt(aws, id, 'logs:StopQuery', async () => {
            const logs = await aws.logs();
            try {
              await logs.client.send(new logs.sdk.StopQueryCommand({ queryId: q }), { abortSignal: signal() });
            } catch (error) {
              // A query that already finished cannot be stopped: the permission was still checked.
              if (/InvalidParameter|not running|already/i.test(`${errorName(error)} ${errorLine(error)}`)) return 'allowed (the query had already finished)';
              throw error;
            }
            return 'stopped';
          }),
        );
      }
      return rows;
    }
  }
}

export async function preflight(runbook: Runbook, options: PreflightOptions): Promise<PreflightRow[]> {
  const aws = createAws(options);
  const timeout = options.timeoutMs ?? 10_000;
  const signal = () => AbortSignal.timeout(timeout);
  const probes = Object.entries(runbook.probes);
  const [cw, ...others] = await Promise.all([cloudWatchRows(aws, probes, signal), ...probes.map(([id, p]) => probeRows(aws, id, p, signal))]);
  const byProbe = new Map<string, PreflightRow[]>();
  for (const r of [...cw!, ...others.flat()]) byProbe.set(r.probe, [...(byProbe.get(r.probe) ?? []), r]);
  // In the runbook's probe order, so the report reads like the tree.
  return probes.flatMap(([id]) => byProbe.get(id) ?? []);
}
