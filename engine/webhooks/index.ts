import type { Knex } from 'knex';
import type { EngineConfig } from '../config';
import type { Outbox } from '../domain/outbox';
import { dialectOf } from '../store/db';
import { knexTransactions } from '../store/transactions';
import { WebhookEndpointStore } from '../store/webhook-endpoints';
import type { Lifecycle } from '../support/lifecycle';
import type { Logger } from '../support/logger';
import { packageInfo } from '../support/package-info';
import type { Clock } from '../support/time';
import { BullDispatcher } from './bullmq-dispatcher';
import { DeliveryService } from './deliveries';
import { DeliveryRunner } from './delivery-runner';
import { DeliveryStore, type DueDelivery } from './delivery-store';
import type { Dispatcher } from './dispatcher';
import { EndpointService } from './endpoints';
import { HttpSender } from './http-sender';
import { LeaderLease } from './leader-lease';
import { OutcomeWriter } from './outcome-writer';
import { DeliveryPlanner } from './planner';
import { PollingDispatcher } from './polling-dispatcher';
import { webhookRetention, type WebhookRetention } from './retention';
import { TargetGuard } from './target-guard';

// A claimed delivery is someone else's to retry once its attempt (bounded by the timeout) plus a margin for recording
// the outcome has passed: half the timeout, from 1 to 5 seconds.
const leaseFor = (timeoutMs: number) => timeoutMs + Math.min(5_000, Math.max(1_000, timeoutMs / 2));
const MAX_CLOSE_GRACE_MS = 5_000;

export interface Webhooks {
  endpoints: EndpointService;
  deliveries: DeliveryService;
  dispatcher: Dispatcher;
  store: DeliveryStore;
  retention: WebhookRetention;
}

export interface WebhookDeps {
  config: EngineConfig;
  db: Knex;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
  outbox: Outbox;
  readinessChecks: Record<string, () => Promise<string>>;
}

/** Wires webhooks into an engine: the outbox planner, the dispatcher of the configured kind, start and stop. */
export function createWebhooks({ config, db, clock, logger, lifecycle, outbox, readinessChecks }: WebhookDeps): Webhooks {
  const guard = new TargetGuard(config.webhookAllowedHosts);
  const store = new DeliveryStore(db);
  const endpoints = new EndpointService(new WebhookEndpointStore(db), knexTransactions(db), clock, guard, store);
  const sender = new HttpSender(guard, config.webhookTimeout, config.webhookConcurrency);
  const notify = (deliveries: DueDelivery[]) => dispatcher.notify(deliveries);
  const runner = new DeliveryRunner({
    db,
    clock,
    store,
    outcomes: new OutcomeWriter(store),
    endpoints,
    sender,
    retries: { schedule: config.webhookRetrySchedule, disableAfterMs: config.webhookDisableAfter },
    userAgent: `MASK-Webhooks/${packageInfo().version}`,
    logger,
    onScheduled: notify,
  });
  const deps = { store, runner, clock, logger };
  const common = {
    concurrency: config.webhookConcurrency,
    leaseMs: leaseFor(config.webhookTimeout),
    closeGraceMs: Math.min(config.webhookTimeout, MAX_CLOSE_GRACE_MS),
    cutOff: () => sender.close(),
  };
  let dispatcher: Dispatcher;
  if (config.redisUrl) {
    const bull = new BullDispatcher(deps, {
      ...common,
      redisUrl: config.redisUrl,
      prefix: `${config.redisPrefix}bull`,
      sweepIntervalMs: config.webhookSweepInterval,
    });
    readinessChecks.webhook_queue = () => bull.ready();
    dispatcher = bull;
  } else {
    // SQLite has no SKIP LOCKED and one writer: one dispatcher per database, chosen by a lease.
    const leader = dialectOf(db) === 'sqlite'
      ? new LeaderLease(db, clock, 'webhook-dispatcher', Math.min(30_000, Math.max(2_000, config.webhookPollInterval * 10)))
      : null;
    dispatcher = new PollingDispatcher(deps, { ...common, pollIntervalMs: config.webhookPollInterval, leader });
  }
  const planner = new DeliveryPlanner(store, clock, notify);
  outbox.onEvents(planner.listener, planner.interest);
  const retention = webhookRetention(db, clock, logger, config.webhookRetention);
  if (config.webhookWorkers) {
    lifecycle.onStart(async () => {
      await dispatcher.startWorkers();
      retention.start();
    });
  }
  lifecycle.onClose(async () => {
    await retention.close();
    await dispatcher.close();
    sender.close();
  });
  return { endpoints, deliveries: new DeliveryService(db, clock, endpoints, store, notify), dispatcher, store, retention };
}
