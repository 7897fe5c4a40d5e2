import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../support/errors';
import type { DrawnQr, QrDrawer } from './draw';
import type { QrOptions } from './options';

/** What the engine sends a QR thread, and what it answers. */
export interface QrThreadRequest {
  id: number;
  text: string;
  options: QrOptions;
}
export type QrThreadReply =
  | { id: number; ok: true; body: Uint8Array; contentType: DrawnQr['contentType'] }
  | { id: number; ok: false; message: string };

interface Job {
  request: QrThreadRequest;
  resolve(image: DrawnQr): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/** Seconds a client is told to wait when every thread is busy and the queue is full. */
const BUSY_RETRY_SECONDS = 2;

/**
 * A small pool of worker threads that draw QR codes, so rendering never blocks the event loop that answers
 * redirects. Threads start on first use (none for an engine that never draws), each draws one code at a time, and
 * waiting jobs sit in one bounded queue: beyond it, a draw is refused at once with 503 and Retry-After instead of
 * piling up memory and latency. A thread that dies fails its job only; the next job starts a fresh one.
 */
export class QrThreadPool implements QrDrawer {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private sequence = 0;
  private closed = false;

  constructor(
    private readonly spawn: () => Worker,
    private readonly options: { threads: number; maxQueued: number },
  ) {}

  /** Jobs waiting for a thread, for tests and benchmarks. */
  get queued(): number {
    return this.queue.length;
  }

  draw(text: string, options: QrOptions): Promise<DrawnQr> {
    if (this.closed) return Promise.reject(new Error('QR thread pool closed'));
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(
        new ApiError('service_unavailable', 'Too many QR codes are being drawn right now. Retry shortly.', undefined, { retry_after: BUSY_RETRY_SECONDS }),
      );
    }
    return new Promise<DrawnQr>((resolve, reject) => {
      this.queue.push({ request: { id: ++this.sequence, text, options }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.find((candidate) => candidate.job === null) ?? this.startSlot();
      if (!slot) return;
      const job = this.queue.shift() as Job;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage(job.request);
    }
  }

  private startSlot(): Slot | null {
    if (this.slots.length >= this.options.threads) return null;
    const slot: Slot = { worker: this.spawn(), job: null };
    slot.worker.unref();
    slot.worker.on('message', (reply: QrThreadReply) => this.finish(slot, reply));
    slot.worker.on('error', (error) => this.lose(slot, error));
    slot.worker.on('exit', (code) => this.lose(slot, new Error(`QR thread exited with code ${code}`)));
    this.slots.push(slot);
    return slot;
  }

  private finish(slot: Slot, reply: QrThreadReply): void {
    const job = slot.job;
    slot.job = null;
    // An idle thread must not keep the process alive.
    slot.worker.unref();
    if (job && job.request.id === reply.id) {
      if (reply.ok) job.resolve({ body: Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength), contentType: reply.contentType });
      else job.reject(new Error(`QR drawing failed: ${reply.message}`));
    }
    this.pump();
  }

  private lose(slot: Slot, error: Error): void {
    const index = this.slots.indexOf(slot);
    if (index === -1) return;
    this.slots.splice(index, 1);
    slot.job?.reject(error);
    slot.job = null;
    if (!this.closed) this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('QR thread pool closed'));
    const slots = this.slots.splice(0);
    for (const slot of slots) slot.job?.reject(new Error('QR thread pool closed'));
    await Promise.all(slots.map((slot) => slot.worker.terminate().catch(() => undefined)));
  }
}
