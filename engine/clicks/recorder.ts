import { LRUCache } from 'lru-cache';
import { IdSequence } from '../support/ids';
import type { Logger } from '../support/logger';
import type { BatchWriter } from './batch-writer';
import type { CapturedClick, ClickedLink, IdentifiedClick } from './types';
import { UserAgentClassifier } from './user-agents';

export interface ClickRecorderOptions {
  /** Longest a click waits in the buffer (ms). */
  flushMs: number;
  /** A batch this large is flushed at once. */
  batchSize: number;
  /** Clicks beyond this many waiting (the database is down) are dropped and logged. */
  bufferMax: number;
}

const MAX_BACKOFF_MS = 30_000;
const CLOSE_ATTEMPTS = 5;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Click capture off the request path: redirects hand clicks over synchronously; a BatchWriter writes them in batches
 * (one transaction per batch, in a worker thread or on this event loop). A failed batch stays at the head of the
 * buffer and is retried with backoff; close() writes everything still buffered.
 */
export class ClickRecorder {
  readonly userAgents = new UserAgentClassifier();
  private readonly ids = new IdSequence('clk');
  private buffer: CapturedClick[] = [];
  private firstBufferedAt = 0;
  /** Counted clicks of capped links that are not committed yet. */
  private readonly pending = new Map<string, number>();
  /** `links.clicks` of capped links as last returned by a flush: never older than what this process committed. */
  private readonly committed = new LRUCache<string, number>({ max: 10_000 });
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  /** Clicks handed to the writer and not committed yet. */
  private writing = 0;
  private dropped = 0;
  private closed = false;

  constructor(
    private readonly writer: BatchWriter,
    private readonly logger: Logger,
    private readonly options: ClickRecorderOptions,
  ) {}

  /** Clicks recorded and not committed yet: waiting, or in the batch being written. */
  get buffered(): number {
    return this.buffer.length + this.writing;
  }

  /** True when this click will count toward its link's clicks (neither a HEAD request nor a bot). */
  counts(click: Pick<CapturedClick, 'head' | 'userAgent'>): boolean {
    return !click.head && !this.userAgents.isBot(click.userAgent);
  }

  /** Counted clicks of a capped link: the newest total this process knows, plus its clicks still buffered. */
  countedClicks(link: ClickedLink, loadedClicks: number): number {
    return Math.max(this.committed.get(link.id) ?? 0, loadedClicks) + (this.pending.get(link.id) ?? 0);
  }

  record(click: CapturedClick): void {
    if (this.closed || this.buffer.length >= this.options.bufferMax) {
      if (this.dropped++ % 1000 === 0) {
        this.logger.error({ dropped: this.dropped, closed: this.closed }, this.closed ? 'click after shutdown not recorded' : 'click buffer full: dropping clicks');
      }
      return;
    }
    if (click.link.maxClicks !== null && this.counts(click)) this.adjustPending(click.link.id, 1);
    if (this.buffer.length === 0) this.firstBufferedAt = performance.now();
    this.buffer.push(click);
    if (this.timer && this.failures > 0) return; // backing off until the database answers again
    if (this.buffer.length >= this.options.batchSize) this.schedule(0);
    else if (!this.timer) this.schedule(this.options.flushMs);
  }

  /** Writes everything buffered now (tests, shutdown). Rejects if the database refuses the writes. */
  async flush(): Promise<void> {
    this.clearTimer();
    if (this.flushing) await this.flushing.catch(() => undefined);
    await this.run(true);
  }

  /** Stops the timer and writes everything still buffered, retrying a few times before giving up loudly. */
  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.flushBeforeClose();
    } finally {
      await this.writer.close();
    }
  }

  private async flushBeforeClose(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.flush();
        return;
      } catch (error) {
        if (attempt >= CLOSE_ATTEMPTS) {
          this.logger.error({ err: error, lost: this.buffer.length }, 'clicks could not be written before shutdown');
          return;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delay: number): void {
    if (this.flushing || this.closed) return; // the running flush looks at the buffer again when it ends
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run().catch(() => undefined);
    }, delay).unref();
  }

  private run(untilEmpty = false): Promise<void> {
    this.flushing ??= this.drain(untilEmpty).finally(() => {
      this.flushing = null;
      this.scheduleLeftovers();
    });
    return this.flushing;
  }

  /** Writes batches: all of them, or (in the background) only full ones after the first, leaving the rest to the timer. */
  private async drain(untilEmpty: boolean): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      this.writing = batch.length;
      try {
        await this.write(batch);
        this.failures = 0;
      } catch (error) {
        this.buffer = batch.concat(this.buffer);
        this.failures++;
        this.logger.error({ err: error, buffered: this.buffer.length, failures: this.failures }, 'click flush failed; will retry');
        throw error;
      } finally {
        this.writing = 0;
      }
      if (!untilEmpty && this.buffer.length < this.options.batchSize) break;
    }
  }

  private scheduleLeftovers(): void {
    if (this.buffer.length === 0) return;
    if (this.failures > 0) {
      this.schedule(Math.min(MAX_BACKOFF_MS, this.options.flushMs * 2 ** this.failures));
      return;
    }
    const waited = performance.now() - this.firstBufferedAt;
    this.schedule(this.buffer.length >= this.options.batchSize ? 0 : Math.max(0, this.options.flushMs - waited));
  }

  private async write(batch: CapturedClick[]): Promise<void> {
    for (const click of batch) click.id ??= this.ids.next(click.at);
    const totals = await this.writer.write(batch as IdentifiedClick[]);
    for (const click of batch) {
      const { link } = click;
      if (link.maxClicks === null) continue;
      if (this.counts(click)) this.adjustPending(link.id, -1);
      const total = totals.get(link.id);
      if (total !== undefined && total > (this.committed.get(link.id) ?? 0)) this.committed.set(link.id, total);
    }
  }

  private adjustPending(linkId: string, delta: number): void {
    const next = (this.pending.get(linkId) ?? 0) + delta;
    if (next > 0) this.pending.set(linkId, next);
    else this.pending.delete(linkId);
  }
}
