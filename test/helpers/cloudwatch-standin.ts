// A local CloudWatch stand-in on 127.0.0.1 for tests and the bench: it answers GetMetricData
// the way the installed SDK speaks to CloudWatch — AWS JSON 1.0 (X-Amz-Target
// GraniteServiceVersion20100801.GetMetricData, epoch-second timestamps; the client is
// awsQuery-compatible, so errors also carry x-amzn-query-error) — after an optional delay,
// and can throttle its first N requests. Reach it through AWS_ENDPOINT_URL_CLOUDWATCH, as a
// user would point the CLI at LocalStack.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInQuery {
  Id: string;
  MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] }; Period: number; Stat: string };
}

export interface StandInRequest {
  target: string;
  body: { MetricDataQueries?: StandInQuery[]; StartTime?: number; EndTime?: number; NextToken?: string };
  at: number;
  /** When the reply went out. */
  answeredAt?: number;
}

export interface StandInOptions {
  /** Answer GetMetricData after this many milliseconds (default 0); other targets at once. */
  delayMs?: number;
  /** Answer GetMetricData only once this settles (a test holds the reply while it watches the CLI). */
  hold?: () => Promise<unknown>;
  /** Answer the first N requests with a Throttling error. */
  throttleFirst?: number;
  /** Values for one query over [start, end) at its period; default: one value (1) per period. */
  series?: (query: StandInQuery, start: number, end: number) => { t: number; v: number }[];
}

export interface StandIn {
  endpoint: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function defaultSeries(query: StandInQuery, start: number, end: number) {
  const period = (query.MetricStat?.Period ?? 60) * 1000;
  const out: { t: number; v: number }[] = [];
  for (let t = Math.ceil(start / period) * period; t < end; t += period) out.push({ t, v: 1 });
  return out;
}

export async function startCloudWatchStandIn(options: StandInOptions = {}): Promise<StandIn> {
  const requests: StandInRequest[] = [];
  let throttled = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await read(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const body = (text ? JSON.parse(text) : {}) as StandInRequest['body'];
    const request: StandInRequest = { target, body, at: Date.now() };
    requests.push(request);
    // The delay is CloudWatch's: any other service pointed here is told at once that it is not.
    if (options.delayMs && target.endsWith('.GetMetricData')) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.hold && target.endsWith('.GetMetricData')) await options.hold();
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      request.answeredAt = Date.now();
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `standin-${requests.length}`, ...headers });
      res.end(JSON.stringify(payload));
    };
    if (throttled < (options.throttleFirst ?? 0)) {
      throttled++;
      return send(400, { __type: 'com.amazonaws.cloudwatch#Throttling', message: 'Rate exceeded' }, { 'x-amzn-query-error': 'Throttling;Sender' });
    }
    if (!target.endsWith('.GetMetricData')) return send(400, { __type: 'InvalidAction', message: `the stand-in answers GetMetricData only, not ${target}` });
    const start = (body.StartTime ?? 0) * 1000;
    const end = (body.EndTime ?? 0) * 1000;
    const series = options.series ?? defaultSeries;
    send(200, {
      MetricDataResults: (body.MetricDataQueries ?? []).map((q) => {
        const points = series(q, start, end);
        return { Id: q.Id, Label: q.MetricStat?.Metric.MetricName ?? q.Id, StatusCode: 'Complete', Timestamps: points.map((p) => p.t / 1000), Values: points.map((p) => p.v) };
      }),
      Messages: [],
    });
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500);
      res.end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
