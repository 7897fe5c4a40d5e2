// The click-writer thread (see clicks/thread-batch-writer.ts): writes the batches the engine's recorder hands it,
// with its own database connection and its own copy of the flush listeners, one batch at a time.
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { inlineBatchWriter } from './clicks';
import type { ClickWriterThreadSetup } from '../clicks';
import { ClickUnpacker } from '../clicks/batch-codec';
import type { ClickThreadReply, ClickThreadRequest } from '../clicks/thread-batch-writer';
import { Outbox } from '../domain/outbox';
import { SecretRef } from '../domain/engine-secret';
import { createDb } from '../store/db';
import { consoleToLogger, createLogger } from '../support/logger';
import type { Clock } from '../support/time';
import { WebhookSubscriptionStore } from '../store/webhook-subscriptions';
import { DeliveryStore, type DueDelivery } from '../store/webhook-deliveries';
import { DeliveryPlanner } from '../webhooks/planner';

const port = parentPort;
if (!port) throw new Error('click-writer-thread runs as a worker thread');

const setup = workerData as ClickWriterThreadSetup;
// Its log lines (its own, knex's, and whatever a library prints) go to the engine as JSON, which logs them with the rest.
const logger = createLogger(setup.logLevel ?? 'warn', { write: (line: string) => port.postMessage({ id: 0, log: line } satisfies ClickThreadReply) });
consoleToLogger(logger);
const db = createDb(setup.databaseUrl, logger);
const secret = new SecretRef();
secret.set(setup.secret);
// The engine's clock, as read when it handed over the batch.
let batchTime = Date.now();
const clock: Clock = { now: () => new Date(batchTime) };
// Deliveries planned in a committed flush: the engine's dispatcher is told about them on its own event loop.
let planned: DueDelivery[] = [];
const outbox = new Outbox();
const planner = new DeliveryPlanner(new DeliveryStore(db), new WebhookSubscriptionStore(), clock, (deliveries) => planned.push(...deliveries));
outbox.onEvents(planner.listener, planner.interest);
const writer = inlineBatchWriter(db, clock, outbox, secret);
// Batches arrive and are unpacked in the order the engine packed them (see ClickPacker).
const unpacker = new ClickUnpacker();

async function handle(request: ClickThreadRequest): Promise<void> {
  if (request.type === 'close') {
    await db.destroy().catch(() => undefined);
    port?.close();
    return;
  }
  batchTime = request.now;
  planned = [];
  let reply: ClickThreadReply<DueDelivery>;
  try {
    const totals = await writer.write(unpacker.unpack(request.clicks));
    reply = { id: request.id, ok: true, totals: [...totals], afterCommit: planned };
  } catch (error) {
    const { message, code } = error as { message?: string; code?: string };
    reply = { id: request.id, ok: false, message: message ?? String(error), code };
  }
  port?.postMessage(reply);
}

let queue = Promise.resolve();
port.on('message', (request: ClickThreadRequest) => {
  queue = queue.then(() => handle(request));
});
logger.debug({ threadId }, 'click writer thread started');
port.postMessage({ id: 0, ready: true } satisfies ClickThreadReply);
