import type { Worker } from 'node:worker_threads';
import type { BatchWriter } from './batch-writer';
import { ClickPacker, type PackedClicks } from './batch-codec';
import type { IdentifiedClick } from './types';

/** What the click-writer thread is started with. */
export interface ClickWriterThreadSetup {
  databaseUrl: string;
  /** The engine secret: the worker derives the daily visitor-hash salt from it. */
  secret: string;
  /** The engine's log level: the thread's log lines (its own and knex's) are posted to the engine, which logs them. */
  logLevel?: string;
}

export type ClickThreadRequest = { type: 'write'; id: number; now: number; clicks: PackedClicks } | { type: 'close' };

/** `afterCommit`: what the thread's flush listeners left for the engine's event loop (planned webhook deliveries). */
export type ClickThreadReply<AfterCommit = unknown> =
  | { id: number; ok: true; totals: Array<[string, number]>; afterCommit: AfterCommit[] }
  | { id: number; ok: false; message: string; code?: string }
  /** Sent once, when the thread has loaded its code and takes batches. */
  | { id: 0; ready: true }
  /** A JSON log line the thread wrote, for the engine's logger. */
  | { id: 0; log: string };

interface Pending {
  resolve(totals: Map<string, number>): void;
  reject(error: Error): void;
}

/**
 * Hands batches to the click-writer thread (engine/wiring/click-writer-thread.ts, an InlineBatchWriter of its own) that writes them with its own database connection, so the parsing, hashing and
 * SQL of a flush never hold up the redirects on the engine's event loop. A worker that dies fails its pending batches
 * (the recorder keeps and retries them; click ids make the retry safe) and the next batch starts a new one.
 */
export class ThreadBatchWriter<AfterCommit> implements BatchWriter {
  private worker: Worker | null = null;
  /** What the current thread has been sent (a new thread starts with nothing). */
  private packer = new ClickPacker();
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private lastId = 0;

  constructor(
    private readonly spawn: () => Worker,
    private readonly now: () => number,
    /** Runs on this event loop with what the worker's flush listeners left to do after their commit. */
    private readonly afterCommit: (items: AfterCommit[]) => void,
    private readonly closeTimeoutMs = 5000,
    /** Receives the thread's JSON log lines. */
    private readonly onLog: (line: string) => void = () => undefined,
  ) {}

  /** True while a thread is loading its code (seconds under tsx on a busy machine): no batch can be written yet. */
  get starting(): boolean {
    return this.worker !== null && !this.ready;
  }

  /** Spawns the thread now, so the first batch does not wait for its start-up. */
  start(): void {
    this.worker ??= this.spawnWorker();
    if (this.pending.size === 0) this.worker.unref();
  }

  write(batch: IdentifiedClick[]): Promise<Map<string, number>> {
    const worker = (this.worker ??= this.spawnWorker());
    const id = ++this.lastId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Kept alive only while a batch is out: an idle worker must not hold the process open.
      worker.ref();
      worker.postMessage({ type: 'write', id, now: this.now(), clicks: this.packer.pack(batch) } satisfies ClickThreadRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.ref();
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' } satisfies ClickThreadRequest);
    // A thread stuck on a database that does not answer is ended; whatever it held was spooled by the recorder.
    const deadline = setTimeout(() => void worker.terminate(), this.closeTimeoutMs);
    await exited;
    clearTimeout(deadline);
  }

  private spawnWorker(): Worker {
    const worker = this.spawn();
    this.ready = false;
    this.packer = new ClickPacker();
    worker.on('message', (reply: ClickThreadReply<AfterCommit>) => {
      if ('log' in reply) {
        this.onLog(reply.log);
        return;
      }
      if ('ready' in reply) {
        if (this.worker === worker) this.ready = true;
        return;
      }
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (!pending) return;
      if (reply.ok) {
        if (reply.afterCommit.length) this.afterCommit(reply.afterCommit);
        pending.resolve(new Map(reply.totals));
      } else {
        pending.reject(Object.assign(new Error(reply.message), { code: reply.code }));
      }
    });
    worker.on('error', (error) => this.stopped(worker, error));
    worker.on('exit', (code) => this.stopped(worker, new Error(`the click writer stopped (exit code ${code})`)));
    return worker;
  }

  private stopped(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
