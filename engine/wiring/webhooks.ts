import { dialectOf } from '../store/db';
import { WebhookEndpointStore } from '../store/webhook-endpoints';
import { WebhookLockStore } from '../store/webhook-locks';
import { WebhookRetentionStore } from '../store/webhook-retention';
import { WebhookSubscriptionStore } from '../store/webhook-subscriptions';
import { packageInfo } from '../support/package-info';
import { DeliveryService } from '../webhooks/deliveries';
import { DeliveryRunner } from '../webhooks/delivery-runner';
import { DeliveryStore, type ClaimedDelivery, type DueDelivery } from '../store/webhook-deliveries';
import type { Dispatcher } from '../webhooks/dispatcher';
import { EndpointService } from '../webhooks/endpoints';
import { HttpSender } from '../webhooks/http-sender';
import { LeaderLease } from '../webhooks/leader-lease';
import { LeaseKeeper } from '../webhooks/lease-keeper';
import { OutcomeWriter } from '../webhooks/outcome-writer';
import { DeliveryPlanner } from '../webhooks/planner';
import { PollingDispatcher } from '../webhooks/polling-dispatcher';
import { webhookRetention } from '../webhooks/retention';
import type { Webhooks } from '../webhooks/webhooks';
import type { Foundation } from './foundation';
import { TargetGuard } from '../webhooks/target-guard';

// A claimed delivery is held under a short lease, renewed every second while its attempt runs: a worker that dies
// (SIGKILL, a lost machine) gives its deliveries up within LEASE_MS, a live one keeps them however long the attempt.
const LEASE_MS = 3_000;
const HEARTBEAT_MS = 1_000;
// One polling dispatcher per SQLite database: a dead one is replaced within this.
const LEADER_TTL_MS = 3_000;
const MAX_CLOSE_GRACE_MS = 5_000;
/** BullMQ (some 190 modules) loads only when Redis is configured; see support/optional-deps.ts. */
const bullDispatcher = () => require('../webhooks/bullmq-dispatcher') as typeof import('../webhooks/bullmq-dispatcher');

/** The runner, given the claimed endpoint's signing secrets opened (the delivery store reads them sealed). */
class OpeningRunner extends DeliveryRunner {
  constructor(
    deps: ConstructorParameters<typeof DeliveryRunner>[0],
    private readonly endpointService: EndpointService,
  ) {
    super(deps);
  }

  override run(claimed: ClaimedDelivery): Promise<void> {
    const { endpoint } = claimed;
    return super.run(endpoint ? { ...claimed, endpoint: this.endpointService.openSecrets(endpoint) } : claimed);
  }
}

/** Wires webhooks into an engine: the outbox planner, the dispatcher of the configured kind, start and stop. */
export function wireWebhooks({ config, db, transactions, clock, logger, lifecycle, outbox, readiness, metrics, secretBox }: Foundation): Webhooks {
  const guard = new TargetGuard(config.webhookAllowedHosts);
  const store = new DeliveryStore(db);
  const endpoints = new EndpointService(new WebhookEndpointStore(db, secretBox), transactions, clock, guard, store);
  const sender = new HttpSender(guard, config.webhookTimeout, config.webhookConcurrency);
  const notify = (deliveries: DueDelivery[]) => dispatcher.notify(deliveries);
  const runner = new OpeningRunner({
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
    leases: new LeaseKeeper(store, clock, logger, LEASE_MS, HEARTBEAT_MS),
    onAttempt: (outcome) => metrics.webhookAttempts.inc({ outcome }),
  }, endpoints);
  const deps = { store, runner, clock, logger };
  const common = {
    concurrency: config.webhookConcurrency,
    leaseMs: LEASE_MS,
    closeGraceMs: Math.min(config.webhookTimeout, MAX_CLOSE_GRACE_MS),
    cutOff: () => sender.close(),
  };
  let dispatcher: Dispatcher;
  if (config.redisUrl) {
    const bull = new (bullDispatcher().BullDispatcher)(deps, {
      ...common,
      redisUrl: config.redisUrl,
      prefix: `${config.redisPrefix}bull`,
      sweepIntervalMs: config.webhookSweepInterval,
    });
    // Needed to deliver (workers); an API-only process records events without it and the sweeper queues them later.
    readiness.set('webhook_queue', { required: config.webhookWorkers, check: async () => ((await bull.ready()) === 'ok' ? 'ok' : 'down') });
    dispatcher = bull;
  } else {
    // SQLite has no SKIP LOCKED and one writer: one dispatcher per database, chosen by a lease.
    const leader = dialectOf(db) === 'sqlite'
      ? new LeaderLease(new WebhookLockStore(db), clock, 'webhook-dispatcher', LEADER_TTL_MS)
      : null;
    dispatcher = new PollingDispatcher(deps, { ...common, pollIntervalMs: config.webhookPollInterval, leader });
  }
  const planner = new DeliveryPlanner(store, new WebhookSubscriptionStore(), clock, notify);
  outbox.onEvents(planner.listener, planner.interest);
  const retention = webhookRetention(new WebhookRetentionStore(db), clock, logger, config.webhookRetention);
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
  return { endpoints, deliveries: new DeliveryService(transactions, clock, endpoints, store, notify), dispatcher, store, retention };
}
