import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { inlineDrawer } from '../domain/qr/draw';
import { QrThreadPool } from '../domain/qr/pool';
import { QrRenderer } from '../domain/qr/renderer';
import type { Foundation } from './foundation';

const THREAD_FILE = path.join(__dirname, `qr-thread${path.extname(__filename)}`);

/** Starts a QR thread; under tsx (tests, benchmarks) it registers tsx itself, since module hooks are per thread. */
export function spawnQrThread(): Worker {
  if (THREAD_FILE.endsWith('.ts')) return new Worker(`require('tsx/cjs'); require(${JSON.stringify(THREAD_FILE)});`, { eval: true });
  return new Worker(THREAD_FILE);
}

/** Jobs that may wait for a QR thread; more are refused with 503 at once. */
const MAX_QUEUED = 64;

/**
 * QR codes: drawn in `config.qrThreads` worker threads (started on first use, stopped on close), or on the event loop
 * when it is 0; the renderer caches what they draw.
 */
export function wireQr({ config, lifecycle }: Foundation): QrRenderer {
  const drawer = config.qrThreads === 0 ? inlineDrawer : new QrThreadPool(spawnQrThread, { threads: config.qrThreads, maxQueued: MAX_QUEUED });
  const renderer = new QrRenderer(drawer);
  lifecycle.onClose(() => renderer.close());
  return renderer;
}
