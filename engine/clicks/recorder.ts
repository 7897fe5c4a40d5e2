import { LRUCache } from 'lru-cache';
import { settlesWithin } from '../support/deadlines';
import { IdSequence } from '../support/ids';
import type { Logger } from '../support/logger';
import type { BatchWriter } from './batch-writer';
import type { CapReservations, Reservation } from './cap-reservations';
import { waitingOnDisk, type ClickSpool } from './spool';
import type { CapturedClick, ClickedLink, IdentifiedClick } from './types';
import { UserAgentClassifier } from './user-agents';

export interface ClickRecorderOptions {
  /** Longest a click waits in the buffer (ms). */
  flushMs: number;
  /** A batch this large is flushed at once. */
  batchSize: number;
  /**
   * Clicks waiting in memory beyond which new ones go to the spool (with no spool, they are dropped and logged).
   */
  bufferMax: number;
  /** Longest close() waits for the database before spooling what it has not written (ms; with a spool). */
  closeGraceMs?: number;
  /** Told of every click taken (for metrics); runs on the request path, so it must be cheap. */
  onCaptured?: () => void;
  /** Told of every batch committed, replays of the spool included (for metrics). */
  onWritten?: (clicks: number) => void;
  /** With Redis: the counter every process reserves capped links' clicks in (max_clicks exact across processes). */
  caps?: CapReservations | null;
}

const MAX_BACKOFF_MS = 30_000;
/**
 * Flush intervals a batch may take to commit before the clicks waiting behind it go to the spool. A healthy database
 * has slow commits now and then (SQLite WAL checkpoints, a busy machine: up to 79 ms seen under load at 50 ms
 * intervals); spooling at each of them wrote thousands of clicks to disk a minute with nothing wrong.
 */
const STALL_INTERVALS = 3;
const CLOSE_ATTEMPTS = 5;
const DEFAULT_CLOSE_GRACE_MS = 2000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Click capture off the request path: redirects hand clicks over synchronously; a BatchWriter writes them in batches
 * (one transaction per batch, in a worker thread or on this event loop).
 *
 * With a spool (the engine always has one but for an in-memory database), no click is held in memory for long or
 * dropped: a batch the database refuses goes to the spool with everything waiting behind it, clicks beyond
 * `bufferMax` go there too, and so does whatever close() could not write within its grace. Spool files are replayed
 * (idempotently: click ids are fixed before a click leaves the buffer) once a write succeeds again, and at start.
 * Without a spool, a failed batch stays at the head of the buffer and is retried with backoff.
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
  /** Counted clicks of capped links reserved by all processes, as Redis last answered (a lower bound: never drops). */
  private readonly shared = new LRUCache<string, number>({ max: 10_000 });
  /**
   * One copy of each recent user agent. Under load a buffered click outlives two young-generation collections, and the
   * copy its request read from the headers went to the old generation with it: about a quarter of the bytes redirects
   * promoted. Clicks share this copy instead.
   */
  private readonly userAgentCopies = new LRUCache<string, string>({ max: 1000 });
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private failures = 0;
  /** The batches handed to the writer and not committed yet, with when each was handed over. */
  private readonly inFlight = new Map<CapturedClick[], number>();
  /** Wakes a drain waiting on its lanes when a full batch is buffered (a free lane can take it at once). */
  private wakeDrain: (() => void) | null = null;
  private dropped = 0;
  private closed = false;
  /** Clicks on their way to the spool file. */
  private spilling = 0;
  private readonly spills = new Set<Promise<void>>();
  private spillQueued = false;
  private replayTimer: NodeJS.Timeout | null = null;
  private replaying: Promise<void> | null = null;
  private replayFailures = 0;
  private replayWanted = false;
  /** When the last batch committed (close() spools what is left once the database stops answering). */
  private lastProgress = 0;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly writer: BatchWriter,
    private readonly logger: Logger,
    private readonly options: ClickRecorderOptions,
    private readonly spool: ClickSpool | null = null,
  ) {}

  /** Clicks recorded and not committed yet: waiting, in the batch being written, or spooled and not replayed yet. */
  get buffered(): number {
    let inFlight = 0;
    for (const batch of this.inFlight.keys()) inFlight += batch.length;
    return this.buffer.length + inFlight + this.spilling + (this.spool ? waitingOnDisk(this.spool.counts) : 0);
  }

  /** Starts the writer now (not at the first click) and replays spool files left by earlier processes. */
  start(): void {
    this.writer.start?.();
    if (!this.spool) return;
    this.requestReplay(0);
    this.watchdog ??= setInterval(() => this.spoolStale(), this.options.flushMs).unref();
  }

  /**
   * The SIGKILL bound: no click stays only in memory much longer than a few flush intervals. When the writer cannot take
   * the due clicks (still starting, or every lane's batch has been committing for STALL_INTERVALS), they are spooled.
   * Batches in flight are not: they are committing, or they fail and are spooled then.
   */
  private spoolStale(): void {
    const now = performance.now();
    const stalledSince = now - this.options.flushMs * STALL_INTERVALS;
    const lanesStuck = this.inFlight.size >= this.lanes && [...this.inFlight.values()].every((since) => since < stalledSince);
    const blocked = this.writer.starting || lanesStuck;
    if (!blocked || this.closed) return;
    if (this.buffer.length > 0 && now - this.firstBufferedAt >= this.options.flushMs) this.spill(this.buffer.splice(0), 'writer busy or starting');
  }

  /** True when this click will count toward its link's clicks (neither a HEAD request nor a bot). */
  counts(click: Pick<CapturedClick, 'head' | 'userAgent'>): boolean {
    return !click.head && !this.userAgents.isBot(click.userAgent);
  }

  /** Counted clicks of a capped link: the newest total this process knows, plus its clicks still buffered. */
  countedClicks(link: ClickedLink, loadedClicks: number): number {
    const own = Math.max(this.committed.get(link.id) ?? 0, loadedClicks) + (this.pending.get(link.id) ?? 0);
    return Math.max(own, this.shared.get(link.id) ?? 0);
  }

  /**
   * With Redis, takes a place under a capped link's max_clicks for one counted click, shared by every process (see
   * CapReservations); null without Redis (countedClicks alone decides, exact within this process). 'unavailable':
   * Redis did not answer, and countedClicks alone decides.
   */
  reserve(link: ClickedLink, loadedClicks: number): Promise<Reservation> | null {
    const caps = this.options.caps;
    if (!caps || link.maxClicks === null) return null;
    const stored = Math.max(this.committed.get(link.id) ?? 0, loadedClicks);
    return caps.reserve(link.id, stored, link.maxClicks).then(({ outcome, count }) => {
      if (count !== undefined && count > (this.shared.get(link.id) ?? 0)) this.shared.set(link.id, count);
      return outcome;
    });
  }

  /** A click id minted before the click is recorded (the redirect hands it to the destination); time-sortable. */
  newClickId(at: number): string {
    return this.ids.next(at);
  }

  record(click: CapturedClick): void {
    if (this.closed || (!this.spool && this.buffer.length >= this.options.bufferMax)) {
      if (this.dropped++ % 1000 === 0) {
        this.logger.error({ dropped: this.dropped, closed: this.closed }, this.closed ? 'click after shutdown not recorded' : 'click buffer full: dropping clicks');
      }
      return;
    }
    this.options.onCaptured?.();
    click.userAgent = this.sharedCopy(click.userAgent);
    if (click.link.maxClicks !== null && this.counts(click)) this.adjustPending(click.link.id, 1);
    if (this.buffer.length === 0) this.firstBufferedAt = performance.now();
    this.buffer.push(click);
    if (this.spool && this.buffer.length >= this.options.bufferMax && !this.spillQueued) {
      // Off this request: the spool serialises and appends in the background.
      this.spillQueued = true;
      setImmediate(() => {
        this.spillQueued = false;
        if (this.buffer.length > this.options.batchSize) this.spill(this.buffer.splice(this.options.batchSize), 'buffer full');
      });
    }
    if (this.timer && this.failures > 0) return; // backing off until the database answers again
    if (this.buffer.length >= this.options.batchSize) {
      if (this.wakeDrain) this.wakeDrain();
      else this.schedule(0);
    }
    else if (!this.timer) this.schedule(this.options.flushMs);
  }

  private sharedCopy(userAgent: string): string {
    const copy = this.userAgentCopies.get(userAgent);
    if (copy !== undefined) return copy;
    this.userAgentCopies.set(userAgent, userAgent);
    return userAgent;
  }

  /** Writes everything buffered now, and what was spooled (tests, reports). Rejects if the database refuses the writes. */
  async flush(): Promise<void> {
    await this.flushBuffer();
    if (this.spool && !this.closed && (this.spills.size > 0 || (await this.spool.pending()))) await this.replaySpool();
  }

  private async flushBuffer(): Promise<void> {
    this.clearTimer();
    if (this.flushing) await this.flushing.catch(() => undefined);
    await this.run(true);
  }

  /** Waits until the spool files of this database are replayed (tests). Rejects if the database refuses them. */
  async replaySpool(): Promise<void> {
    if (!this.spool) return;
    await Promise.all(this.spills);
    const error = await this.spool.replay((batch) => this.write(batch), this.options.batchSize);
    if (error) throw error;
  }

  /** Clicks spooled, replayed, lost (spool unwritable) and dropped (no spool, buffer full) by this process. */
  get stats(): { spooled: number; replayed: number; lost: number; dropped: number } {
    const { spooled, replayed, lost } = this.spool?.counts ?? { spooled: 0, replayed: 0, lost: 0 };
    return { spooled, replayed, lost, dropped: this.dropped };
  }

  /**
   * Stops the timers and writes everything still buffered. With a spool: what the database has not taken within the
   * grace goes to the spool (a batch then committed anyway is skipped at replay); without one, a few retries.
   */
  async close(): Promise<void> {
    this.closed = true;
    if (this.replayTimer) clearTimeout(this.replayTimer);
    if (this.watchdog) clearInterval(this.watchdog);
    const graceMs = this.options.closeGraceMs ?? DEFAULT_CLOSE_GRACE_MS;
    const graceEnds = performance.now() + graceMs;
    try {
      if (!this.spool) return await this.flushBeforeClose();
      const outcome = await this.flushWithinGrace(graceMs);
      if (outcome !== 'written') {
        const left = [...[...this.inFlight.keys()].flat(), ...this.buffer];
        this.buffer = [];
        this.spill(left, outcome === 'timeout' ? 'database did not answer before shutdown' : 'database refused the last flush');
      }
      await Promise.all(this.spills);
      // A replay still writing keeps its claimed file if it is cut short: the next start replays that file.
      if (this.replaying) await settlesWithin(this.replaying, graceEnds - performance.now());
      await this.spool.close();
    } finally {
      await this.writer.close();
    }
  }

  /** Writes the buffer while the database keeps answering: 'timeout' once a batch has waited `graceMs` for it. */
  private async flushWithinGrace(graceMs: number): Promise<'written' | 'failed' | 'timeout'> {
    this.lastProgress = performance.now();
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<'timeout'>((resolve) => {
      watchdog = setInterval(() => {
        // A writer still starting is not a database that does not answer.
        if (this.writer.starting) this.lastProgress = performance.now();
        else if (performance.now() - this.lastProgress > graceMs) resolve('timeout');
      }, Math.min(50, graceMs)).unref();
    });
    try {
      return await Promise.race([this.flushBuffer().then(() => 'written' as const, () => 'failed' as const), stalled]);
    } finally {
      clearInterval(watchdog);
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

  /** How many batches its writer commits at once. */
  get lanes(): number {
    return this.writer.lanes ?? 1;
  }

  /**
   * Writes batches, up to `lanes` at once: all of them, or (in the background) only full ones after the first,
   * leaving the rest to the timer. After a failure it starts no more and, once the others end, rejects with it.
   */
  private async drain(untilEmpty: boolean): Promise<void> {
    const running = new Set<Promise<void>>();
    let taken = 0;
    let failure: { error: unknown } | null = null;
    for (;;) {
      while (!failure && running.size < this.lanes && this.buffer.length > 0 && (untilEmpty || taken === 0 || this.buffer.length >= this.options.batchSize)) {
        taken++;
        const lane: Promise<void> = this.writeBatch(this.buffer.splice(0, this.options.batchSize))
          .catch((error: unknown) => void (failure ??= { error }))
          .finally(() => running.delete(lane));
        running.add(lane);
      }
      if (running.size === 0) break;
      const fullBatchBuffered = new Promise<void>((resolve) => (this.wakeDrain = running.size < this.lanes && !failure ? resolve : null));
      await Promise.race([...running, fullBatchBuffered]);
      this.wakeDrain = null;
    }
    if (failure) throw (failure as { error: unknown }).error;
  }

  /** One batch through the writer; on failure it goes to the spool with everything waiting behind it. */
  private async writeBatch(batch: CapturedClick[]): Promise<void> {
    this.inFlight.set(batch, performance.now());
    try {
      await this.write(batch);
      this.lastProgress = performance.now();
      this.failures = 0;
      if (this.replayWanted) this.requestReplay(0);
    } catch (error) {
      this.failures++;
      if (this.spool && !this.closed) {
        const waiting = batch.concat(this.buffer);
        this.buffer = [];
        this.logger.error({ err: error, spooled: waiting.length, failures: this.failures }, 'click flush failed; clicks spooled until the database answers');
        this.spill(waiting, 'flush failed');
      } else {
        // Kept for a retry, or for close() to spool.
        this.buffer = batch.concat(this.buffer);
        this.logger.error({ err: error, buffered: this.buffer.length, failures: this.failures }, 'click flush failed; will retry');
      }
      throw error;
    } finally {
      this.inFlight.delete(batch);
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

  private identify(batch: CapturedClick[]): IdentifiedClick[] {
    for (const click of batch) click.id ??= this.ids.next(click.at);
    return batch as IdentifiedClick[];
  }

  /** Moves clicks to the spool file; they no longer count as pending for their capped links. */
  private spill(clicks: CapturedClick[], reason: string): void {
    const spool = this.spool;
    if (!spool || clicks.length === 0) return;
    const identified = this.identify(clicks);
    this.spilling += identified.length;
    this.logger.warn({ clicks: identified.length, reason }, 'clicks spooled to disk');
    const spilled: Promise<void> = spool
      .append(identified)
      .then(
        () => {
          this.replayWanted = true;
          this.requestReplay(Math.min(MAX_BACKOFF_MS, this.options.flushMs * 2 ** Math.max(this.failures, this.replayFailures)));
        },
        () => undefined, // counted and logged as lost by the spool
      )
      .finally(() => {
        this.spilling -= identified.length;
        this.spills.delete(spilled);
      });
    this.spills.add(spilled);
  }

  /** Replays the spool in the background after `delay`; a failed replay retries with backoff. */
  private requestReplay(delay: number): void {
    if (!this.spool || this.closed || this.replaying || this.replayTimer) return;
    this.replayTimer = setTimeout(() => {
      this.replayTimer = null;
      this.replaying = this.replayOnce().finally(() => (this.replaying = null));
    }, delay).unref();
  }

  private async replayOnce(): Promise<void> {
    const spool = this.spool as ClickSpool;
    this.replayWanted = false;
    let ok = false;
    try {
      ok = (await spool.replay((batch) => this.write(batch), this.options.batchSize)) === null;
    } catch (error) {
      this.logger.error({ err: error }, 'click spool replay failed');
    }
    if (ok) {
      this.replayFailures = 0;
      return;
    }
    this.replayFailures++;
    this.replayWanted = true;
    setImmediate(() => this.requestReplay(Math.min(MAX_BACKOFF_MS, 250 * 2 ** this.replayFailures)));
  }

  /**
   * Writes a batch. A spooled click of a capped link stays pending (it still uses up the cap) until a write of it
   * ends, the batch's own or a replay's.
   */
  private async write(batch: CapturedClick[]): Promise<void> {
    const totals = await this.writer.write(this.identify(batch));
    this.options.onWritten?.(batch.length);
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
