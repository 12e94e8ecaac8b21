// The stats module's SeriesSource on CloudWatch, for `regress --metric`: one GetMetricData for
// one metric over [from, to), values oldest first; empty when CloudWatch has none. Errors are
// thrown as one MangaopsError line (credentials: the same message as a walk's).
import { MangaopsError } from '../../core/errors.js';
import type { SeriesQuery, SeriesSource } from '../../stats/series-source.js';
import { credentialsError, errorLine, errorName, isCredentialsError, type Aws } from '../aws.js';
import { createLiveCloudWatch } from './live.js';
import { periodFor } from './metric.js';

export function cloudWatchSeries(aws: Aws, options: { now?: () => Date; signal?: AbortSignal } = {}): SeriesSource {
  const cw = createLiveCloudWatch(aws);
  return {
    async series(query: SeriesQuery, from: Date, to: Date): Promise<number[]> {
      const now = options.now?.() ?? new Date();
      const { period } = periodFor(query.period, from, now);
      try {
        const res = await cw.getMetricData([{ id: 'q0', metric: { ...query, period } }], from, to, options.signal);
        const s = res.get('q0')!;
        if (s.status === 'Forbidden' || (s.status === 'InternalError' && s.points.length === 0)) {
          throw new MangaopsError(`CloudWatch ${s.status} for ${query.namespace} ${query.metric}${s.messages.length ? `: ${s.messages.join('; ')}` : ''}`);
        }
        return s.points.filter((p) => p.t! >= from.getTime() && p.t! < to.getTime()).map((p) => p.v);
      } catch (error) {
        if (error instanceof MangaopsError) throw error;
        if (isCredentialsError(error)) throw credentialsError(error, aws);
        throw new MangaopsError(`cloudwatch:GetMetricData failed for ${query.namespace} ${query.metric}: ${errorName(error)}: ${errorLine(error)}`);
      }
    },
  };
}
