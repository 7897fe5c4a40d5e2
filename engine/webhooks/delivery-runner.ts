import type { Knex } from 'knex';
import { asBool } from '../store/db';
import type { Logger } from '../support/logger';
import { unixSeconds, type Clock } from '../support/time';
import type { AttemptRecord, ClaimedDelivery, DeliveryStore, DueDelivery } from '../store/webhook-deliveries';
import type { EndpointService } from './endpoints';
import type { HttpSender, SendResult } from './http-sender';
import type { OutcomeWriter } from './outcome-writer';
import { signatureHeader } from './signer';

export interface RetryPolicy {
  /** Delays before attempts 2, 3, …; its length + 1 is the number of attempts. */
  schedule: readonly number[];
  /** An endpoint whose attempts have all failed for this long is disabled. */
  disableAfterMs: number;
}

// A Retry-After beyond this is not honoured as such; the attempt waits this long instead.
const MAX_RETRY_AFTER_MS = 24 * 3600_000;
const JITTER = 0.1;

const withJitter = (ms: number) => Math.round(ms * (1 - JITTER + Math.random() * 2 * JITTER));

const isSuccess = (status: number | null) => status !== null && status >= 200 && status < 300;

function failureReason(result: SendResult): string | null {
  if (result.error) return result.error;
  if (result.statusCode !== null && result.statusCode >= 300 && result.statusCode < 400) return 'redirect not followed: only a 2xx answer counts as delivered';
  return null;
}

export interface RunnerDeps {
  db: Knex;
  clock: Clock;
  store: DeliveryStore;
  outcomes: OutcomeWriter;
  endpoints: EndpointService;
  sender: HttpSender;
  retries: RetryPolicy;
  userAgent: string;
  logger: Logger;
  /** Told about attempts it scheduled, after they commit. */
  onScheduled: (deliveries: DueDelivery[]) => void;
  /** Keeps the leases of running attempts alive (heartbeats). */
  leases: { hold(claimed: ClaimedDelivery): void; release(claimed: ClaimedDelivery): Promise<void> };
  /** Told each recorded attempt's outcome (metrics): succeeded, retrying (another attempt follows) or failed (final). */
  onAttempt?: (outcome: 'succeeded' | 'retrying' | 'failed') => void;
}

/**
 * Makes one attempt of a claimed delivery — sign, send, record — and decides what follows: the next attempt as a new
 * row, or nothing; for the endpoint, the failing-since bookkeeping and disabling on 410 or after failing too long.
 */
export class DeliveryRunner {
  constructor(private readonly deps: RunnerDeps) {}

  async run(claimed: ClaimedDelivery): Promise<void> {
    this.deps.leases.hold(claimed);
    try {
      await this.attempt(claimed);
    } finally {
      await this.deps.leases.release(claimed);
    }
  }

  private async attempt(claimed: ClaimedDelivery): Promise<void> {
    const { endpoint, payload } = claimed;
    const startedAt = this.deps.clock.now();
    if (!endpoint || payload === null) {
      await this.settle(claimed, { statusCode: null, durationMs: 0, responseBody: null, error: 'the message or its endpoint no longer exists', retryAfterMs: null }, startedAt, false);
      return;
    }
    if (!asBool(endpoint.enabled)) {
      await this.settle(claimed, { statusCode: null, durationMs: 0, responseBody: null, error: 'endpoint disabled', retryAfterMs: null }, startedAt, false);
      return;
    }
    const secrets = [endpoint.secret];
    if (endpoint.previous_secret && Number(endpoint.previous_secret_expires_at) > startedAt.getTime()) secrets.push(endpoint.previous_secret);
    const timestamp = unixSeconds(startedAt);
    const result = await this.deps.sender.send(
      endpoint.url,
      {
        'content-type': 'application/json',
        'user-agent': this.deps.userAgent,
        'webhook-id': claimed.message_id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(secrets, claimed.message_id, timestamp, payload),
      },
      payload,
    );
    await this.settle(claimed, result, startedAt, true);
  }

  private nextDelay(claimed: ClaimedDelivery, result: SendResult): number | null {
    const attempts = claimed.trigger === 'test' ? 1 : this.deps.retries.schedule.length + 1;
    if (claimed.attempt >= attempts || result.statusCode === 410) return null;
    if ((result.statusCode === 429 || result.statusCode === 503) && result.retryAfterMs !== null) {
      return Math.min(result.retryAfterMs, MAX_RETRY_AFTER_MS);
    }
    return withJitter(this.deps.retries.schedule[claimed.attempt - 1]);
  }

  private async settle(claimed: ClaimedDelivery, result: SendResult, attemptedAt: Date, retryable: boolean): Promise<void> {
    // No heartbeat may move the lease while the outcome is recorded against it.
    await this.deps.leases.release(claimed);
    const succeeded = isSuccess(result.statusCode);
    const delay = succeeded || !retryable ? null : this.nextDelay(claimed, result);
    const now = this.deps.clock.now().getTime();
    const outcome: AttemptRecord = {
      status: succeeded ? 'succeeded' : 'failed',
      attemptedAt: attemptedAt.getTime(),
      durationMs: result.durationMs,
      statusCode: result.statusCode,
      responseBody: result.responseBody,
      error: succeeded ? null : failureReason(result),
      nextAttemptAt: delay === null ? null : now + delay,
    };
    const scheduled = outcome.nextAttemptAt === null
      ? ((await this.deps.outcomes.write(claimed, outcome)) ? [] : null)
      : await this.scheduleNext(claimed, outcome, outcome.nextAttemptAt, now);
    // null: the lease had passed to another worker, whose outcome counts instead.
    if (scheduled === null) return;
    this.deps.onAttempt?.(succeeded ? 'succeeded' : outcome.nextAttemptAt === null ? 'failed' : 'retrying');
    if (scheduled.length) this.deps.onScheduled(scheduled);
    if (this.deps.logger.isLevelEnabled('debug')) {
      this.deps.logger.debug({ delivery: claimed.id, message: claimed.message_id, attempt: claimed.attempt, status: result.statusCode, error: outcome.error }, 'webhook attempt');
    }
    if (claimed.trigger === 'test' || !retryable || !claimed.endpoint) return;
    await this.updateEndpointHealth(claimed, result, succeeded, now);
  }

  /** Records a failed attempt and writes the next one, together; null when the lease was no longer ours. */
  private scheduleNext(claimed: ClaimedDelivery, outcome: AttemptRecord, nextAttemptAt: number, now: number): Promise<DueDelivery[] | null> {
    return this.deps.db.transaction(async (trx) => {
      if (!(await this.deps.store.record(trx, claimed, outcome))) return null;
      return this.deps.store.insert(trx, [{
        workspaceId: claimed.workspace_id,
        mode: claimed.mode,
        endpointId: claimed.endpoint_id,
        messageId: claimed.message_id,
        eventType: claimed.event_type,
        attempt: claimed.attempt + 1,
        trigger: claimed.trigger,
        scheduledAt: nextAttemptAt,
      }], now);
    });
  }

  private async updateEndpointHealth(claimed: ClaimedDelivery, result: SendResult, succeeded: boolean, now: number): Promise<void> {
    const endpoint = claimed.endpoint!;
    const target = { id: claimed.endpoint_id, workspaceId: claimed.workspace_id, mode: claimed.mode };
    if (succeeded) {
      if (endpoint.failing_since !== null) await this.deps.endpoints.markHealthy(claimed.endpoint_id);
      return;
    }
    let reason: 'endpoint_gone' | 'failing' | null = null;
    if (result.statusCode === 410) reason = 'endpoint_gone';
    else if (endpoint.failing_since === null) await this.deps.endpoints.markFailing(claimed.endpoint_id, now);
    else if (now - Number(endpoint.failing_since) >= this.deps.retries.disableAfterMs) reason = 'failing';
    if (reason && (await this.deps.endpoints.disable(target, reason, new Date(now)))) {
      this.deps.logger.warn({ endpoint: claimed.endpoint_id, reason }, 'webhook endpoint disabled');
    }
  }
}
