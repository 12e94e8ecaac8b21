// `npx tsx bench/index.ts cloudwatch`: CloudWatch requests and time to evidence per runbook,
// the live source's one batched GetMetricData against a node-by-node walk that asks for each
// metric when it reaches it (one request per metric, one after the other). Against a local
// CloudWatch stand-in (test/helpers/cloudwatch-standin.ts: AWS JSON 1.0, as the installed
// client speaks) that answers every request after 100 ms, through the real SDK client
// (AWS_ENDPOINT_URL_CLOUDWATCH, dummy credentials). Figures, not assertions.
import { createAws } from '../src/capabilities/aws.js';
import { createLiveCloudWatch } from '../src/capabilities/cloudwatch/live.js';
import { periodFor } from '../src/capabilities/cloudwatch/metric.js';
import type { CloudWatchProbe } from '../src/capabilities/cloudwatch/read.js';
import { regressWindows } from '../src/capabilities/cloudwatch/regress.js';
import { loadConfig } from '../src/core/config.js';
import { durationMs } from '../src/core/time.js';
import { loadAll } from '../src/runbook/catalog.js';
import { liveSource } from '../src/walk/live-source.js';
import { startCloudWatchStandIn } from '../test/helpers/cloudwatch-standin.js';

const DELAY_MS = 100;
const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<void> {
  const standIn = await startCloudWatchStandIn({ delayMs: DELAY_MS });
  const saved = { ...process.env };
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CLOUDWATCH: standIn.endpoint,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  delete process.env.AWS_PROFILE;
  try {
    const config = await loadConfig({ env: {} });
    const rows: string[][] = [];
    for (const { runbook } of await loadAll(config)) {
      const probes = Object.entries(runbook.probes).filter((e): e is [string, CloudWatchProbe] => e[1].kind === 'metric' || e[1].kind === 'metric.last-seen' || e[1].kind === 'regress');
      if (probes.length === 0) {
        rows.push([runbook.id, '0', '-', '-', '-', '-', '-']);
        continue;
      }
      const requests = probes.map(([id, probe]) => ({ id, probe, timeoutMs: 5000 }));
      const aws = createAws({ config, env: process.env });
      const client = createLiveCloudWatch(aws);
      await client.getMetricData([], new Date(Date.now() - 60_000), new Date()); // warm the connection and the SDK

      const batched: { first: number; all: number; requests: number }[] = [];
      const naive: { first: number; all: number; requests: number }[] = [];
      for (let i = 0; i < RUNS; i++) {
        // The live source: all CloudWatch probes of the tree in one GetMetricData.
        let before = standIn.requests.length;
        let t0 = performance.now();
        let first = 0;
        await liveSource(aws).gather(requests, () => (first ||= performance.now() - t0));
        batched.push({ first, all: performance.now() - t0, requests: standIn.requests.length - before });

        // Node by node: one request per metric, as the walk reaches it.
        before = standIn.requests.length;
        t0 = performance.now();
        first = 0;
        const now = new Date();
        for (const [, probe] of probes) {
          const from = probe.kind === 'regress' ? regressWindows(probe, now).before.from : new Date(now.getTime() - durationMs(probe.window));
          const { period } = periodFor(probe.period, from, now);
          await client.getMetricData([{ id: 'q0', metric: { namespace: probe.namespace, metric: probe.metric, dimensions: probe.dimensions, stat: probe.stat, period } }], from, now);
          first ||= performance.now() - t0;
        }
        naive.push({ first, all: performance.now() - t0, requests: standIn.requests.length - before });
      }
      const ms = (xs: number[]) => `${Math.round(median(xs))} ms`;
      rows.push([
        runbook.id,
        String(probes.length),
        String(batched[0]!.requests),
        ms(batched.map((b) => b.all)),
        String(naive[0]!.requests),
        ms(naive.map((n) => n.first)),
        ms(naive.map((n) => n.all)),
      ]);
      (await aws.cloudwatch()).client.destroy();
    }
    const head = ['runbook', 'CW probes', 'batched: requests', 'batched: evidence gathered', 'node-by-node: requests', 'node-by-node: first card', 'node-by-node: all metrics'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
    console.log(`CloudWatch stand-in answering after ${DELAY_MS} ms; median of ${RUNS} runs. The batched walk shows its first card when all evidence is in.`);
    console.log(line(head));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));
  } finally {
    process.env = saved;
    await standIn.close();
  }
}
