import type { RequestHandler } from 'express';
import type { Mode } from '../domain/scopes';
import { UsageRowsRefused, type UsageCounter, type UsageStore } from '../store/usage';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';
import { LATENCY_BUCKETS, latencyBucket } from './histogram';

/** Stored resolutions: minutes for recent, detailed views; hours for long ranges. */
export const RESOLUTION_MS = { minute: 60_000, hour: 3_600_000 } as const;
/** How long minute rows are kept; hour rows are kept for `usageRetentionDays`. */
export const MINUTE_RETENTION_MS = 2 * 24 * 3_600_000;
/** The route of API requests that matched no route (typos, removed endpoints). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Methods counted under their own name; any other (PROPFIND, a made-up verb) is counted as `OTHER`. */
export const COUNTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
export const OTHER_METHOD = 'OTHER';
/** The widths of api_usage.method and api_usage.route: values are bounded before they are buffered. */
const METHOD_MAX = 7;
const ROUTE_MAX = 200;

/** A method as counted: a known one, or `OTHER`, so a client cannot make rows the table cannot hold. */
export const countedMethod = (method: string): string => {
  const upper = method.toUpperCase();
  return COUNTED_METHODS.has(upper) && upper.length <= METHOD_MAX ? upper : OTHER_METHOD;
};

/** A route template as counted: at most ROUTE_MAX characters (templates are ours, but never trust a width). */
export const countedRoute = (route: string): string => (route.length <= ROUTE_MAX ? route : `${route.slice(0, ROUTE_MAX - 1)}…`);

const PRUNE_EVERY_MS = 3_600_000;

export interface UsageSample {
  workspaceId: string;
  mode: Mode;
  keyId: string;
  method: string;
  route: string;
  status: number;
  durationMs: number;
  at: number;
}

type Counter = UsageCounter;

const counterKey = (c: Omit<Counter, 'requests' | 'duration_ms_sum' | 'latency'>) =>
  [c.workspace_id, c.mode, c.bucket_ms, c.bucket_start, c.key_id, c.method, c.route, c.status].join('\u0000');

/**
 * API usage, counted in memory on each response and written in batches, never on the request path: every
 * `usageFlushSeconds`, on demand (before a usage report) and on close. Writes are additive upserts, so any number of
 * processes can flush into the same rows; a failed write keeps its counts for the next flush.
 */
export class UsageRecorder {
  private pending = new Map<string, Counter>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private lastPrune = 0;

  constructor(
    private readonly store: UsageStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: { flushMs: number; retentionDays: number },
  ) {}

  /** Times each API response and counts it once finished; requests without a valid key belong to no workspace. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const key = req.apiKey;
      if (!key) return;
      this.record({
        workspaceId: key.workspaceId,
        mode: key.mode,
        keyId: key.id,
        method: req.method,
        route: req.routeTemplate ?? UNMATCHED_ROUTE,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        at: this.clock.now().getTime(),
      });
    });
    next();
  };

  record(sample: UsageSample): void {
    const bucket = latencyBucket(sample.durationMs);
    for (const bucketMs of Object.values(RESOLUTION_MS)) {
      const counter = this.counter({
        workspace_id: sample.workspaceId,
        mode: sample.mode,
        bucket_ms: bucketMs,
        bucket_start: sample.at - (sample.at % bucketMs),
        key_id: sample.keyId,
        method: countedMethod(sample.method),
        route: countedRoute(sample.route),
        status: sample.status,
      });
      counter.requests += 1;
      counter.duration_ms_sum += sample.durationMs;
      counter.latency[bucket] += 1;
    }
  }

  private counter(identity: Omit<Counter, 'requests' | 'duration_ms_sum' | 'latency'>, into = this.pending): Counter {
    const key = counterKey(identity);
    let counter = into.get(key);
    if (!counter) {
      counter = { ...identity, requests: 0, duration_ms_sum: 0, latency: new Array<number>(LATENCY_BUCKETS).fill(0) };
      into.set(key, counter);
    }
    return counter;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushMs).unref();
  }

  /**
   * Writes what is buffered; flushes never overlap. A failure of the database puts the counts back for the next one;
   * a batch refused for its data is split until the refused rows are found, which are logged and dropped, so one bad
   * row can never block every later flush (no poison pill).
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    if (batch.length) {
      const kept = await this.writeOrSplit(batch);
      if (kept.length) {
        for (const counter of kept) this.mergeBack(counter);
        return;
      }
    }
    await this.pruneIfDue().catch((error: unknown) => this.logger.error({ err: error }, 'could not prune old API usage'));
  }

  /**
   * Writes the counters; returns those to keep for the next flush (the database failed, not their data). Only a batch
   * refused for its data (UsageRowsRefused) is split to find the row to leave out.
   */
  private async writeOrSplit(counters: Counter[]): Promise<Counter[]> {
    try {
      await this.write(counters);
      return [];
    } catch (error) {
      if (!(error instanceof UsageRowsRefused)) {
        this.logger.error({ err: error, counters: counters.length }, 'could not write API usage; keeping it for the next flush');
        return counters;
      }
      if (counters.length === 1) {
        const { latency: _latency, ...row } = counters[0] as Counter;
        this.logger.error({ err: error.cause, row }, 'dropped an API usage row the database refused');
        return [];
      }
      const half = Math.ceil(counters.length / 2);
      return [...(await this.writeOrSplit(counters.slice(0, half))), ...(await this.writeOrSplit(counters.slice(half)))];
    }
  }

  private mergeBack(counter: Counter): void {
    const target = this.counter(counter);
    target.requests += counter.requests;
    target.duration_ms_sum += counter.duration_ms_sum;
    counter.latency.forEach((n, i) => (target.latency[i] += n));
  }

  private async write(counters: Counter[]): Promise<void> {
    // One order for every process, so concurrent upserts lock rows in the same order and cannot deadlock.
    await this.store.add(counters.sort((a, b) => (counterKey(a) < counterKey(b) ? -1 : 1)));
  }

  private async pruneIfDue(): Promise<void> {
    const now = this.clock.now().getTime();
    if (now - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = now;
    const retentionMs = this.options.retentionDays * 24 * 3_600_000;
    const cutoffs = { [RESOLUTION_MS.minute]: Math.min(retentionMs, MINUTE_RETENTION_MS), [RESOLUTION_MS.hour]: retentionMs };
    for (const [bucketMs, keepMs] of Object.entries(cutoffs)) {
      await this.store.deleteOlder(Number(bucketMs), now - keepMs);
    }
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
