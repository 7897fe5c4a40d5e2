import { LATENCY_COLUMN_COUNT } from '../store/usage';

/**
 * Fixed latency buckets (upper bounds in ms; a last, open-ended bucket follows). Counts per bucket add up across
 * processes and time, which averages of percentiles never do; percentiles are then estimated from the summed counts
 * the way Prometheus' histogram_quantile does: linear interpolation inside the bucket that holds the rank.
 * Stored as the columns latency_0 … latency_13 of `api_usage`: changing the bounds needs a migration.
 */
export const LATENCY_BOUNDS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;
export const LATENCY_BUCKETS = LATENCY_BOUNDS_MS.length + 1;
// The store holds one column per bucket.
if (LATENCY_BUCKETS !== LATENCY_COLUMN_COUNT) throw new Error(`api_usage has ${LATENCY_COLUMN_COUNT} latency columns, not ${LATENCY_BUCKETS}`);

export function latencyBucket(durationMs: number): number {
  const index = LATENCY_BOUNDS_MS.findIndex((bound) => durationMs <= bound);
  return index === -1 ? LATENCY_BOUNDS_MS.length : index;
}

/** The q-quantile (0 < q ≤ 1) of a histogram, in ms, rounded to 0.1 ms; null without observations. */
export function quantile(counts: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let bucket = 0; bucket < counts.length; bucket++) {
    if (counts[bucket] === 0 || seen + counts[bucket] < rank) {
      seen += counts[bucket];
      continue;
    }
    const lower = bucket === 0 ? 0 : LATENCY_BOUNDS_MS[bucket - 1];
    // Past the last bound nothing is known but the bound itself.
    if (bucket >= LATENCY_BOUNDS_MS.length) return lower;
    const upper = LATENCY_BOUNDS_MS[bucket];
    return Math.round((lower + ((upper - lower) * (rank - seen)) / counts[bucket]) * 10) / 10;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
}
