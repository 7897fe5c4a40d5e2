import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { EngineOptions } from '../../../engine';
import type { OutboxEvent } from '../../../engine/domain/outbox';
import { webhookRetention } from '../../../engine/webhooks/retention';
import { WebhookRetentionStore } from '../../../engine/store/webhook-retention';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const FAST: EngineOptions = {
  webhookAllowedHosts: 'loopback',
  webhookRetrySchedule: '150ms,150ms,150ms',
  webhookPollInterval: '50ms',
  webhookSweepInterval: '500ms',
  webhookTimeout: '1s',
};

type Delivery = Record<string, any>;

/** An engine, a receiver, and helpers to register endpoints, emit events and read the delivery log. */
function webhookFixture(options: EngineOptions) {
  const f = {} as {
    t: TestEngine;
    receiver: Receiver;
    createEndpoint(body?: Record<string, unknown>, key?: string): Promise<{ id: string; secret: string }>;
    emit(events: Array<Partial<OutboxEvent>>): Promise<Array<{ id: string; timestamp: string }>>;
    log(endpointId: string, query?: string): Promise<Delivery[]>;
    /** The endpoint once the engine has disabled it. */
    disabled(endpointId: string): Promise<Record<string, any>>;
    /** The log once `ready` holds for it (attempts newest first, or by attempt number with `byAttempt`). */
    logWhen(endpointId: string, ready: (log: Delivery[]) => boolean, what: string, query?: string): Promise<Delivery[]>;
  };
  before(async () => {
    f.t = await startTestEngine(options);
  });
  after(() => f.t.stop());
  beforeEach(async () => {
    f.receiver = await startReceiver();
  });
  afterEach(() => f.receiver.close());
  f.createEndpoint = async (body = {}, key) => {
    const created = await f.t.api('POST', '/api/v1/webhooks', { body: { url: `${f.receiver.url}/hook`, events: ['*'], ...body }, key });
    assert.equal(created.status, 201, created.text);
    return created.body;
  };
  f.emit = async (events) => {
    const { db, outbox, clock } = f.t.parts;
    return db.transaction((trx) =>
      outbox.enqueue(trx, events.map((e) => ({ workspaceId: f.t.workspace.id, mode: 'live', type: 'link.created', data: { id: 'lnk_1' }, ...e }) as OutboxEvent), clock.now()),
    );
  };
  f.log = async (endpointId, query = '') => {
    const response = await f.t.api('GET', `/api/v1/webhooks/${endpointId}/deliveries?limit=100${query}`);
    assert.equal(response.status, 200, response.text);
    return response.body.data;
  };
  f.disabled = (endpointId) =>
    until(async () => {
      const got = await f.t.api('GET', `/api/v1/webhooks/${endpointId}`);
      return got.body.enabled === false && got.body;
    }, 'the endpoint to be disabled');
  f.logWhen = async (endpointId, ready, what, query = '') => {
    let log: Delivery[] = [];
    await until(async () => ready((log = await f.log(endpointId, query))), what);
    return log;
  };
  return f;
}

const byAttempt = (log: Delivery[]) => [...log].sort((a, b) => a.attempt - b.attempt);
const nonEmpty = (log: Delivery[]) => log.length > 0;

const verify = (secret: string, request: { body: string; headers: Record<string, unknown> }) =>
  new Webhook(secret).verify(request.body, request.headers as Record<string, string>);

describe('webhook delivery', () => {
  const f = webhookFixture(FAST);

  test('a delivery is signed so that the standardwebhooks library verifies it, with the message as body', async () => {
    const endpoint = await f.createEndpoint();
    const [message] = await f.emit([{ data: { id: 'lnk_a', url: 'https://example.com/ü' } }]);
    const request = await until(() => f.receiver.received[0], 'the delivery');
    assert.equal(request.headers['webhook-id'], message.id);
    assert.match(request.headers['webhook-timestamp'] as string, /^\d{10}$/);
    assert.match(request.headers['webhook-signature'] as string, /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(verify(endpoint.secret, request), {
      id: message.id,
      type: 'link.created',
      timestamp: message.timestamp,
      workspace_id: f.t.workspace.id,
      data: { id: 'lnk_a', url: 'https://example.com/ü' },
    });
    const [attempt] = await f.logWhen(endpoint.id, nonEmpty, 'the attempt to be logged', '&status=succeeded');
    assert.equal(attempt.status, 'succeeded');
    assert.equal(attempt.status_code, 200);
    assert.equal(attempt.attempt, 1);
    assert.equal(attempt.message_id, message.id);
    assert.equal(attempt.event_type, 'link.created');
    assert.equal(typeof attempt.duration_ms, 'number');
  });

  test('a receiver failing 3 times gets the 4th attempt with the same webhook-id and body; every attempt is logged', async () => {
    f.receiver.respond((_request, index) => (index < 3 ? { status: 500, body: `failure ${index + 1}` } : { status: 204 }));
    const endpoint = await f.createEndpoint();
    const [message] = await f.emit([{}]);
    await until(() => f.receiver.received.length >= 4, '4 attempts');
    const requests = f.receiver.received;
    assert.equal(new Set(requests.map((r) => r.headers['webhook-id'])).size, 1);
    assert.equal(requests[0].headers['webhook-id'], message.id);
    assert.equal(new Set(requests.map((r) => r.body)).size, 1, 'the same body every time');
    for (const request of requests) verify(endpoint.secret, request);

    const log = byAttempt(await f.logWhen(endpoint.id, (attempts) => attempts.some((a) => a.status === 'succeeded'), 'the success to be logged'));
    assert.deepEqual(log.map((a) => [a.attempt, a.status, a.status_code]), [
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 500],
      [4, 'succeeded', 204],
    ]);
    assert.equal(log[0].response_body, 'failure 1');
    for (const failed of log.slice(0, 3)) assert.ok(failed.next_attempt_at, 'a failed attempt says when the next comes');
    assert.equal(log[3].next_attempt_at, null);
    const failures = await f.log(endpoint.id, '&status=failed');
    assert.equal(failures.length, 3);
    const ofMessage = await f.log(endpoint.id, `&message_id=${message.id}`);
    assert.equal(ofMessage.length, 4);
  });

  test('after the last scheduled attempt the delivery is failed for good', async () => {
    f.receiver.respond(() => ({ status: 500 }));
    const endpoint = await f.createEndpoint();
    await f.emit([{}]);
    const log = await f.logWhen(endpoint.id, (attempts) => attempts.length === 4 && attempts.every((a) => a.status === 'failed'), 'four failed attempts');
    const last = byAttempt(log)[3];
    assert.equal(last.next_attempt_at, null);
    assert.equal(f.receiver.received.length, 4);
  });

  test('replay resends the same message with the same webhook-id, as a new delivery', async () => {
    const endpoint = await f.createEndpoint();
    const [message] = await f.emit([{}]);
    const [first] = await f.logWhen(endpoint.id, nonEmpty, 'the first delivery', '&status=succeeded');
    const replay = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${first.id}/replay`);
    assert.equal(replay.status, 202, replay.text);
    assert.equal(replay.body.trigger, 'replay');
    assert.equal(replay.body.replay_of, first.id);
    assert.equal(replay.body.message_id, message.id);
    assert.equal(replay.body.attempt, 1);
    await until(() => f.receiver.received.length >= 2, 'the replay');
    const [original, replayed] = f.receiver.received;
    assert.equal(replayed.headers['webhook-id'], message.id);
    assert.equal(replayed.body, original.body);
    verify(endpoint.secret, replayed);
    const single = await f.t.api('GET', `/api/v1/webhooks/${endpoint.id}/deliveries/${replay.body.id}`);
    assert.equal(single.status, 200);
    assert.deepEqual(single.body.payload, JSON.parse(original.body));
  });

  test('after a rotation deliveries carry two signatures, valid with the new and the previous secret', async () => {
    const endpoint = await f.createEndpoint();
    const rotated = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`, { body: {} });
    assert.equal(rotated.status, 200, rotated.text);
    assert.notEqual(rotated.body.secret, endpoint.secret);
    await f.emit([{}]);
    const request = await until(() => f.receiver.received[0], 'the delivery');
    const signatures = (request.headers['webhook-signature'] as string).split(' ');
    assert.equal(signatures.length, 2);
    verify(rotated.body.secret, request);
    verify(endpoint.secret, request);

    const immediate = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/rotate-secret`, { body: { grace_seconds: 0 } });
    assert.equal(immediate.body.previous_secret_expires_at, null);
    await f.emit([{}]);
    const next = await until(() => f.receiver.received[1], 'the second delivery');
    assert.equal((next.headers['webhook-signature'] as string).split(' ').length, 1);
    verify(immediate.body.secret, next);
    assert.throws(() => verify(rotated.body.secret, next));
  });

  test('only subscribed, enabled endpoints of the event’s workspace and mode receive it', async () => {
    const deletions = await f.createEndpoint({ events: ['link.deleted'] });
    const everything = await f.createEndpoint({ events: ['*'] });
    const disabled = await f.createEndpoint({ enabled: false });
    const testKey = await f.t.createKey(['webhooks:write', 'webhooks:read'], { mode: 'test' });
    const testEndpoint = await f.createEndpoint({ url: `${f.receiver.url}/test-mode` }, testKey);
    const other = await f.t.createWorkspace('Neighbour');
    const neighbour = await f.createEndpoint({ url: `${f.receiver.url}/neighbour` }, other.adminKey);

    const [created] = await f.emit([{ type: 'link.created' }]);
    const [deleted] = await f.emit([{ type: 'link.deleted' }]);
    const [testEvent] = await f.emit([{ mode: 'test', type: 'link.updated' }]);
    await until(() => f.receiver.received.length >= 4, 'four deliveries');
    await until(async () => (await f.log(everything.id, '&status=succeeded')).length === 2, 'the log');
    const by = (path: string) => f.receiver.received.filter((r) => r.path === path).map((r) => r.headers['webhook-id']).sort();
    assert.deepEqual(by('/hook'), [created.id, deleted.id, deleted.id].sort());
    assert.deepEqual(by('/test-mode'), [testEvent.id]);
    assert.deepEqual(by('/neighbour'), []);
    assert.equal((await f.log(deletions.id)).length, 1);
    assert.equal((await f.log(disabled.id)).length, 0);
    assert.equal((await f.t.api('GET', `/api/v1/webhooks/${testEndpoint.id}/deliveries`)).status, 404, 'a live key does not see test endpoints');
    assert.equal((await f.t.api('GET', `/api/v1/webhooks/${neighbour.id}/deliveries`)).status, 404);
  });

  test('events nobody subscribes to are not stored; an event rolled back with its transaction is never sent', async () => {
    const { db, outbox, clock } = f.t.parts;
    const lonely = await f.t.createWorkspace('Nobody listens');
    const before = Number((await db('events').count({ n: '*' }))[0].n);
    const clicks = Array.from({ length: 1000 }, (_, i) => ({ workspaceId: lonely.workspace.id, mode: 'live' as const, type: 'click.recorded' as const, data: { i } }));
    const stored = await db.transaction((trx) => outbox.enqueue(trx, clicks, clock.now()));
    assert.equal(stored.length, 0);
    assert.equal(Number((await db('events').count({ n: '*' }))[0].n), before);

    const endpoint = await f.createEndpoint({ events: ['click.recorded'] });
    await assert.rejects(
      db.transaction(async (trx) => {
        await outbox.enqueue(trx, [{ workspaceId: f.t.workspace.id, mode: 'live', type: 'click.recorded', data: {} }], clock.now());
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    assert.equal(Number((await db('events').count({ n: '*' }))[0].n), before);
    assert.equal((await f.log(endpoint.id)).length, 0);
    const [kept] = await f.emit([{ type: 'click.recorded' }, { type: 'link.created', workspaceId: lonely.workspace.id }]);
    assert.equal(Number((await db('events').count({ n: '*' }))[0].n), before + 1);
    await until(() => f.receiver.received.length === 1, 'the click delivery');
    assert.equal(f.receiver.received[0].headers['webhook-id'], kept.id);
  });

  test('410 Gone disables the endpoint at once, audited as the system; no retry follows', async () => {
    f.receiver.respond(() => ({ status: 410 }));
    const endpoint = await f.createEndpoint();
    await f.emit([{}]);
    const disabled = await f.disabled(endpoint.id);
    assert.equal(disabled.disabled_reason, 'endpoint_gone');
    assert.ok(disabled.disabled_at);
    const [attempt] = await f.log(endpoint.id);
    assert.equal(attempt.status_code, 410);
    assert.equal(attempt.next_attempt_at, null);
    const audit = await f.t.parts.db('audit_logs').where({ resource_id: endpoint.id, action: 'webhook.disabled' });
    assert.equal(audit.length, 1);
    assert.equal(audit[0].actor_type, 'system');
    assert.equal(audit[0].actor_key_id, null);
    await f.emit([{}]);
    assert.equal((await f.log(endpoint.id)).length, 1, 'a disabled endpoint gets no new deliveries');
    assert.equal(f.receiver.received.length, 1);
    const test = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { body: {} });
    assert.equal(test.status, 409);
    const replay = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${attempt.id}/replay`);
    assert.equal(replay.status, 409);

    f.receiver.respond(() => ({ status: 200 }));
    const enabled = await f.t.api('PATCH', `/api/v1/webhooks/${endpoint.id}`, { body: { enabled: true } });
    assert.equal(enabled.body.enabled, true);
    assert.equal(enabled.body.disabled_reason, null);
    assert.equal((await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/deliveries/${attempt.id}/replay`)).status, 202);
    await until(() => f.receiver.received.length === 2, 'the replay after re-enabling');
  });

  test('redirects are not followed: a 3xx is a failed attempt', async () => {
    const elsewhere = await startReceiver();
    try {
      f.receiver.respond(() => ({ status: 302, headers: { location: `${elsewhere.url}/caught` } }));
      const endpoint = await f.createEndpoint();
      await f.emit([{}]);
      const [attempt] = await f.logWhen(endpoint.id, nonEmpty, 'the failed attempt', '&status=failed');
      assert.equal(attempt.status_code, 302);
      assert.match(attempt.error, /redirect/);
      assert.equal(elsewhere.received.length, 0);
    } finally {
      await elsewhere.close();
    }
  });

  test('a response body is kept to its first kilobyte; a silent receiver times out; a closed port is a connection error', async () => {
    f.receiver.respond(() => ({ status: 500, body: 'x'.repeat(5000) }));
    const noisy = await f.createEndpoint();
    await f.emit([{}]);
    const [long] = await f.logWhen(noisy.id, nonEmpty, 'the noisy attempt', '&status=failed');
    assert.equal(long.response_body, 'x'.repeat(1024));
    await f.t.api('DELETE', `/api/v1/webhooks/${noisy.id}`);

    f.receiver.respond(() => ({ status: 200, hang: true }));
    const silent = await f.createEndpoint();
    await f.emit([{}]);
    const [slow] = await f.logWhen(silent.id, nonEmpty, 'the timed-out attempt', '&status=failed');
    assert.equal(slow.status_code, null);
    assert.match(slow.error, /timed out after 1s/);
    assert.ok(slow.next_attempt_at, 'a timeout is retried');
    await f.t.api('DELETE', `/api/v1/webhooks/${silent.id}`);

    const closed = await startReceiver();
    const url = `${closed.url}/gone`;
    await closed.close();
    const unreachable = await f.createEndpoint({ url });
    await f.emit([{}]);
    const [refused] = await f.logWhen(unreachable.id, nonEmpty, 'the refused attempt', '&status=failed');
    assert.match(refused.error, /ECONNREFUSED/);
  });

  test('TLS certificates are verified: a self-signed receiver is a failed attempt', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-tls-'));
    const [key, cert] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    assert.equal(made.status, 0, 'openssl made a certificate');
    let reached = 0;
    const server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => {
      reached++;
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = await f.createEndpoint({ url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook` });
      await f.emit([{}]);
      const [attempt] = await f.logWhen(endpoint.id, nonEmpty, 'the TLS failure', '&status=failed');
      assert.match(attempt.error, /self[- ]signed certificate/i);
      assert.equal(attempt.status_code, null);
      assert.equal(reached, 0);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('POST /webhooks/:id/test sends one example message of the chosen type, without retries', async () => {
    const endpoint = await f.createEndpoint({ events: ['link.deleted', 'click.recorded'] });
    const queued = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { body: {} });
    assert.equal(queued.status, 202, queued.text);
    assert.equal(queued.body.trigger, 'test');
    assert.equal(queued.body.event_type, 'link.deleted');
    const request = await until(() => f.receiver.received[0], 'the test message');
    const body = verify(endpoint.secret, request) as { type: string; workspace_id: string; id: string };
    assert.equal(body.type, 'link.deleted');
    assert.equal(body.workspace_id, f.t.workspace.id);
    assert.equal(body.id, queued.body.message_id);

    f.receiver.respond(() => ({ status: 500 }));
    const failing = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { body: { type: 'click.recorded' } });
    assert.equal(failing.body.event_type, 'click.recorded');
    const [attempt] = await f.logWhen(endpoint.id, nonEmpty, 'the failed test', '&status=failed');
    assert.equal(attempt.next_attempt_at, null, 'tests are not retried');
    const health = await f.t.api('GET', `/api/v1/webhooks/${endpoint.id}`);
    assert.equal(health.body.failing_since, null, 'a failed test says nothing about the endpoint’s health');

    const badType = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { body: { type: 'link.exploded' } });
    assert.equal(badType.status, 422);
    const unknownField = await f.t.api('POST', `/api/v1/webhooks/${endpoint.id}/test`, { body: { types: ['link.created'] } });
    assert.equal(unknownField.status, 422);
  });
});

describe('webhook delivery on an hour-long schedule', () => {
  const f = webhookFixture({ ...FAST, webhookRetrySchedule: '1h,1h' });

  test('Retry-After on 429 and 503 is honoured instead of the schedule', async () => {
    const retryAt = new Date(Date.now() + 2000).toUTCString();
    f.receiver.respond((_request, index) =>
      index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : index === 1 ? { status: 503, headers: { 'retry-after': retryAt } } : { status: 200 },
    );
    const endpoint = await f.createEndpoint();
    const [message] = await f.emit([{}]);
    await until(() => f.receiver.received.length === 3, 'the third attempt, long before the hour-long schedule');
    assert.ok(f.receiver.received.every((r) => r.headers['webhook-id'] === message.id));
    const log = byAttempt(await f.logWhen(endpoint.id, (attempts) => attempts.some((a) => a.status === 'succeeded'), 'the log'));
    const waited = (a: Delivery) => Date.parse(a.next_attempt_at) - Date.parse(a.attempted_at);
    assert.ok(waited(log[0]) < 60_000 && waited(log[0]) >= 500, `429 Retry-After: 1 scheduled ${waited(log[0])} ms later`);
    assert.ok(waited(log[1]) < 60_000, '503 with an HTTP-date Retry-After');
  });

});

describe('webhook endpoint health', () => {
  const f = webhookFixture({ ...FAST, webhookRetrySchedule: '1h,1h,1h,1h', webhookDisableAfter: '1s' });

  test('an endpoint whose attempts keep failing for WEBHOOK_DISABLE_AFTER is disabled and audited', async () => {
    f.receiver.respond(() => ({ status: 429, headers: { 'retry-after': '1' } }));
    const endpoint = await f.createEndpoint();
    await f.emit([{}]);
    const disabled = await f.disabled(endpoint.id);
    assert.equal(disabled.disabled_reason, 'failing');
    assert.ok(disabled.failing_since);
    const log = await f.log(endpoint.id);
    assert.ok(log.every((a) => a.status === 'failed'), 'its pending attempt was failed with it');
    const audit = await f.t.parts.db('audit_logs').where({ resource_id: endpoint.id, action: 'webhook.disabled' }).first();
    assert.equal(audit.actor_type, 'system');
    assert.match(audit.changes, /failing/);
  });
});

describe('webhook retention', () => {
  const f = webhookFixture({ ...FAST, webhookRetrySchedule: '1h' });

  test('deliveries and messages older than WEBHOOK_RETENTION go; pending ones and what they carry stay', async () => {
    const { db, logger } = f.t.parts;
    const done = await f.createEndpoint({ url: `${f.receiver.url}/ok` });
    const [delivered] = await f.emit([{}]);
    await f.logWhen(done.id, (log) => log.some((a) => a.status === 'succeeded'), 'the delivery');
    await f.t.api('DELETE', `/api/v1/webhooks/${done.id}`);
    f.receiver.respond(() => ({ status: 500 }));
    const failing = await f.createEndpoint({ url: `${f.receiver.url}/failing` });
    const [retried] = await f.emit([{}]);
    await f.logWhen(failing.id, (log) => log.length === 2, 'the failed attempt and its scheduled retry');

    // Pruning as of two days from now, with a one-day retention: everything here is old enough.
    const later = { now: () => new Date(Date.now() + 2 * 86_400_000) };
    const deleted = await webhookRetention(new WebhookRetentionStore(db), later, logger, 86_400_000).run();
    assert.ok(deleted >= 2, `deleted ${deleted}`);
    const log = await f.log(failing.id);
    assert.deepEqual(log.map((a) => a.status), ['pending'], 'the failed attempt went, its pending retry stayed');
    assert.equal(await db('events').where({ id: retried.id }).first().then(Boolean), true, 'a pending delivery keeps its message');
    assert.equal(await db('events').where({ id: delivered.id }).first().then(Boolean), false);
    assert.equal(await webhookRetention(new WebhookRetentionStore(db), f.t.parts.clock, logger, 86_400_000).run(), 0, 'nothing recent goes');
  });
});
