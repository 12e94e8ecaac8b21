// The drill platform's CloudWatch: a drill's evidence comes from its case (each probe kind's
// `simulate`), not from here, so this world has no series of its own and answers every query
// with none — as CloudWatch does for a metric nobody published.
import type { CloudWatchPort, SeriesResult } from './port.js';

export function simulatedCloudWatch(): CloudWatchPort {
  return {
    async getMetricData(queries) {
      return new Map(queries.map((q): [string, SeriesResult] => [q.id, { points: [], status: 'Complete', messages: [] }]));
    },
  };
}
