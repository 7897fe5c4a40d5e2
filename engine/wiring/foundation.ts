import type Redis from 'ioredis';
import type { Knex } from 'knex';
import type { EngineConfig } from '../config';
import { LinkChanges } from '../domain/link-changes';
import { Outbox } from '../domain/outbox';
import { SecretRef } from '../domain/engine-secret';
import { InstanceDomain } from '../domain/instance-domain';
import { createDb } from '../store/db';
import { Paginator } from '../store/pagination';
import { transactionRunner, type TransactionRunner } from '../store/transactions';
import { FastRedis } from '../support/fast-redis';
import { Lifecycle } from '../support/lifecycle';
import type { Logger } from '../support/logger';
import type { Clock } from '../support/time';
import { Metrics } from '../support/metrics';
import { SecretBox } from '../support/secret-box';
import type { Dependency } from '../web/health';

export type { Dependency } from '../web/health';

/**
 * What every feature is built from: settings, the database, time, logs, start/stop hooks, the engine secret (loaded
 * at start), the domain's change channels and, with REDIS_URL, one fail-fast Redis connection (see FastRedis).
 */
export interface Foundation {
  config: EngineConfig;
  db: Knex;
  /** Runs a unit of work in one transaction; services receive it instead of the database. */
  transactions: TransactionRunner;
  clock: Clock;
  logger: Logger;
  lifecycle: Lifecycle;
  secret: SecretRef;
  /** The instance domain shared by every process of the deployment (stored at first start, adopted at start). */
  instanceDomain: InstanceDomain;
  /** Seals stored secrets (webhook signing secrets); its key, never in the database, is loaded at start. */
  secretBox: SecretBox;
  redis: Redis | null;
  /** Domain events written in the transaction of the change that caused them (webhooks plan deliveries from them). */
  outbox: Outbox;
  /** Which short links changed, so caches drop them. */
  linkChanges: LinkChanges;
  paginator: Paginator;
  /** Dependencies besides the database for `/readyz`, registered by the features that own those connections. */
  readiness: Map<string, Dependency>;
  /** Prometheus instruments (served only where configured: MASK_METRICS_PORT or MASK_METRICS_TOKEN). */
  metrics: Metrics;
}

export function createFoundation(config: EngineConfig, clock: Clock, logger: Logger): Foundation {
  const lifecycle = new Lifecycle();
  const secret = new SecretRef();
  // One fail-fast connection for the rate limiters and usage flush requests; closed last.
  const fastRedis = config.redisUrl ? new FastRedis(config.redisUrl, logger, 'mask') : null;
  const readiness = new Map<string, Dependency>();
  if (fastRedis) {
    lifecycle.onStart(() => fastRedis.open());
    lifecycle.onClose(() => fastRedis.close());
    // Rate limits and usage flushes fall back to this process alone without it: degraded, never unready.
    readiness.set('redis', { required: false, check: async () => (fastRedis.client.status === 'ready' ? 'ok' : 'down') });
  }
  const db = createDb(config.databaseUrl, logger);
  return {
    config,
    db,
    transactions: transactionRunner(db),
    clock,
    logger,
    lifecycle,
    secret,
    instanceDomain: new InstanceDomain(config.defaultDomain, config.defaultDomainConfigured),
    secretBox: new SecretBox(),
    redis: fastRedis?.client ?? null,
    outbox: new Outbox(),
    linkChanges: new LinkChanges(),
    paginator: new Paginator(secret),
    readiness,
    metrics: new Metrics(),
  };
}
