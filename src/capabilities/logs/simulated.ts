// The drill platform's CloudWatch Logs: a drill's evidence comes from its case, so these log
// groups hold no events; a query completes having scanned nothing.
import type { LogsPort } from './port.js';

export function simulatedLogs(): LogsPort {
  let id = 0;
  return {
    async startQuery() {
      return `sim-query-${++id}`;
    },
    async getQueryResults() {
      return { status: 'Complete', row: {}, recordsScanned: 0 };
    },
    async stopQuery() {},
  };
}
