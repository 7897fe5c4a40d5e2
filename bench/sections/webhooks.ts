// Signed webhook deliveries per second to a local receiver: embedded (SQLite, polling dispatcher) and scale-out
// (Postgres + BullMQ on Redis). A producer engine without workers queues the deliveries first; the figure is how fast a
// worker engine drains them, signing each one, to a keep-alive receiver on 127.0.0.1 (its own process) answering 200.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import IORedis from 'ioredis';
import { createEngine, type EngineOptions } from '../../engine';
import type { OutboxEvent } from '../../engine/domain/outbox';
import { benchSecret, printRows, ratio } from '../support';
import { createTestDatabase, type TestDatabase } from '../../test/support/databases';
import { partsOf } from '../../engine/wiring';

const BATCH = 500;
const DEADLINE_MS = 120_000;

interface Setup {
  name: string;
  events: number;
  target: number;
  options: EngineOptions;
  cleanup(): Promise<void>;
}

/** The receiver runs in a process of its own (bench/webhook-receiver.ts), as a real one would; stopped by its PID. */
async function startReceiver() {
  const child = fork(path.join(__dirname, '..', 'webhook-receiver.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', () => reject(new Error('the receiver exited')));
  });
  return {
    url,
    /** Resolves with the number of verified signatures once `expect` deliveries have arrived. */
    expect: (secret: string, expect: number) => {
      const done = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not all ${expect} deliveries arrived within ${DEADLINE_MS} ms`)), DEADLINE_MS);
        child.once('message', (message: { verified: number }) => {
          clearTimeout(timer);
          resolve(message.verified);
        });
      });
      child.send({ secret, expect });
      return done;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        process.kill(child.pid as number, 'SIGTERM');
      }),
  };
}

async function measure(setup: Setup) {
  const receiver = await startReceiver();
  const common: EngineOptions = { ...setup.options, logLevel: 'warn', env: {}, webhookAllowedHosts: 'loopback', webhookConcurrency: 64 };
  const producer = createEngine({ ...common, webhookWorkers: false });
  await producer.start();
  const worker = createEngine({ ...common, webhookWorkers: true, migrateOnStart: false });
  try {
    const services = partsOf(producer);
    const workspace = await services.workspaces.create({ name: 'Bench' });
    const actor = { workspaceId: workspace.id, mode: 'live' as const, keyId: null, requestId: null, scopes: ['admin' as const] };
    const { secret } = await services.webhooks.endpoints.create(actor, { url: receiver.url, events: ['click.recorded'] });
    for (let done = 0; done < setup.events; done += BATCH) {
      const events: OutboxEvent[] = Array.from({ length: Math.min(BATCH, setup.events - done) }, (_, i) => ({
        workspaceId: workspace.id,
        mode: 'live',
        type: 'click.recorded',
        data: { click: { id: `clk_${done + i}`, country: 'FR', device: 'mobile' }, link: { id: 'lnk_bench', slug: 'bench' } },
      }));
      await services.db.transaction((trx) => services.outbox.enqueue(trx, events, services.clock.now()));
    }
    const arrived = receiver.expect(secret, setup.events);
    const started = performance.now();
    await worker.start();
    const verified = await arrived;
    const seconds = (performance.now() - started) / 1000;
    const perSecond = setup.events / seconds;
    return {
      setup: setup.name,
      deliveries: setup.events,
      seconds: seconds.toFixed(2),
      'per second': Math.round(perSecond),
      target: setup.target,
      'vs target': ratio(perSecond, setup.target),
      'signatures checked': verified,
    };
  } finally {
    await worker.close();
    await producer.close();
    await receiver.close();
    await setup.cleanup();
  }
}

function embedded(): Setup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-bench-'));
  return {
    name: 'embedded (SQLite, polling)',
    events: 3000,
    target: 300,
    options: { databaseUrl: `sqlite:${path.join(dir, 'bench.sqlite')}`, webhookPollInterval: '50ms' },
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A scratch Postgres database and a Redis prefix of the run's own; both removed afterwards. */
async function scaleOut(): Promise<Setup | null> {
  process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `mask-bench:${randomBytes(4).toString('hex')}:`;
  let database: TestDatabase;
  try {
    database = await createTestDatabase('postgres');
  } catch (error) {
    console.log(`(skipping Postgres + Redis: ${(error as Error).message})`);
    return null;
  }
  return {
    name: 'scale-out (Postgres, BullMQ on Redis)',
    events: 5000,
    target: 1000,
    options: { databaseUrl: database.url, redisUrl, redisPrefix: prefix, ...benchSecret('postgres') },
    cleanup: async () => {
      const redis = new IORedis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
      await database.drop();
    },
  };
}

export async function run(): Promise<void> {
  const rows = [await measure(embedded())];
  const redis = await scaleOut();
  if (redis) rows.push(await measure(redis));
  printRows(rows);
}
