// How a series of per-period datapoints becomes the one value a rule compares.
// The reducers a metric probe may name.
export const reducers = ['latest', 'max', 'min', 'mean', 'sum'] as const;

export type Reducer = (typeof reducers)[number];

export function reduceSeries(values: readonly number[], how: Reducer): number | undefined {
  if (values.length === 0) return undefined;
  switch (how) {
    case 'latest': return values[values.length - 1];
    case 'max': return Math.max(...values);
    case 'min': return Math.min(...values);
    case 'sum': return values.reduce((a, b) => a + b, 0);
    case 'mean': return values.reduce((a, b) => a + b, 0) / values.length;
  }
}
