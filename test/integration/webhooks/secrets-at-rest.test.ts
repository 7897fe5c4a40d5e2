// Webhook signing secrets are sealed at rest (AES-256-GCM) under a key that is never in the database: derived from
// MASK_SECRET, or a key file beside a SQLite database. Plaintext rows from before are sealed at start; a rotation
// with MASK_SECRET_PREVIOUS re-seals under the new key; the wrong key stops the start with one line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { ConfigError, createEngine, type Engine, type EngineOptions } from '../../../engine';
import { systemActor } from '../../../engine/domain/actor';
import type { OutboxEvent } from '../../../engine/domain/outbox';
import { partsOf } from '../../../engine/wiring';
import { createTestDatabase, testDialect, testSecret, type TestDatabase } from '../../support/databases';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const SECRET_A = 'secret-a-for-the-sealing-tests-0123456789abcdef';
const SECRET_B = 'secret-b-for-the-sealing-tests-0123456789abcdef';

const engineOn = (databaseUrl: string, options: EngineOptions = {}): Engine =>
  createEngine({
    databaseUrl,
    defaultDomain: 'go.mask.test',
    logLevel: 'silent',
    env: {},
    webhookAllowedHosts: 'loopback',
    webhookPollInterval: '50ms',
    webhookRetrySchedule: '100ms',
    ...options,
  });

const endpointRows = async (engine: Engine) =>
  (await partsOf(engine).db('webhook_endpoints').select('id', 'secret', 'previous_secret')) as Array<{ id: string; secret: string; previous_secret: string | null }>;

/** Emits one event to the workspace and answers the request the receiver got for it. */
async function deliverOne(engine: Engine, workspaceId: string, receiver: Receiver) {
  const { db, outbox, clock } = partsOf(engine);
  const seen = receiver.received.length;
  const [event] = await db.transaction((trx) =>
    outbox.enqueue(trx, [{ workspaceId, mode: 'live', type: 'link.created', data: { id: 'lnk_1' } } as OutboxEvent], clock.now()),
  );
  return until(() => receiver.received.slice(seen).find((r) => r.headers['webhook-id'] === event.id), 'the delivery');
}

const verify = (secret: string, request: { body: string; headers: Record<string, unknown> }) =>
  new Webhook(secret).verify(request.body, request.headers as Record<string, string>);

describe('webhook secrets at rest', () => {
  let receiver: Receiver;
  let database: TestDatabase;
  before(async () => {
    receiver = await startReceiver();
  });
  after(() => receiver.close());

  test('the database holds no whsec_ after creating and rotating; deliveries verify with the secret shown', async () => {
    database = await createTestDatabase();
    const engine = engineOn(database.url, testSecret());
    try {
      await engine.start();
      const workspace = await engine.workspaces.create({ name: 'Sealed' });
      const { endpoints } = partsOf(engine).webhooks;
      const actor = systemActor(workspace.id);
      const created = await endpoints.create(actor, { url: `${receiver.url}/hook`, events: ['*'] });
      assert.match(created.secret, /^whsec_/);
      let rows = await endpointRows(engine);
      assert.doesNotMatch(JSON.stringify(rows), /whsec_/);
      assert.match(rows[0].secret, /^enc:v1:[0-9a-f]{8}:/);
      verify(created.secret, await deliverOne(engine, workspace.id, receiver));

      const rotated = await endpoints.rotateSecret(actor, created.endpoint.id, 3600);
      rows = await endpointRows(engine);
      assert.doesNotMatch(JSON.stringify(rows), /whsec_/);
      assert.match(rows[0].previous_secret ?? '', /^enc:v1:/);
      assert.notEqual(rows[0].secret, rows[0].previous_secret);
      const request = await deliverOne(engine, workspace.id, receiver);
      verify(rotated.secret, request);
      verify(created.secret, request);
    } finally {
      await engine.close();
      await database.drop();
    }
  });

  test('plaintext secrets from before are sealed at start, once; deliveries still verify', async () => {
    database = await createTestDatabase();
    const first = engineOn(database.url, testSecret());
    let workspaceId = '';
    let secret = '';
    try {
      await first.start();
      workspaceId = (await first.workspaces.create({ name: 'Old rows' })).id;
      const created = await partsOf(first).webhooks.endpoints.create(systemActor(workspaceId), { url: `${receiver.url}/hook`, events: ['*'] });
      secret = created.secret;
      // As a row written before sealing existed.
      await partsOf(first).db('webhook_endpoints').where({ id: created.endpoint.id }).update({ secret, previous_secret: null });
      assert.equal((await endpointRows(first))[0].secret, secret);
      verify(secret, await deliverOne(first, workspaceId, receiver)); // read while in transition
    } finally {
      await first.close();
    }
    const second = engineOn(database.url, testSecret());
    try {
      await second.start();
      const [row] = await endpointRows(second);
      assert.match(row.secret, /^enc:v1:/);
      assert.equal(await partsOf(second).webhooks.endpoints.sealStoredSecrets(), 0, 'idempotent');
      assert.deepEqual(await endpointRows(second), [row]);
      verify(secret, await deliverOne(second, workspaceId, receiver));
    } finally {
      await second.close();
      await database.drop();
    }
  });

  test('rotating MASK_SECRET with MASK_SECRET_PREVIOUS re-seals under the new key; the old key alone then fails clearly', async () => {
    database = await createTestDatabase();
    const onA = engineOn(database.url, { secret: SECRET_A });
    let workspaceId = '';
    let secret = '';
    try {
      await onA.start();
      workspaceId = (await onA.workspaces.create({ name: 'Rotating' })).id;
      secret = (await partsOf(onA).webhooks.endpoints.create(systemActor(workspaceId), { url: `${receiver.url}/hook`, events: ['*'] })).secret;
    } finally {
      await onA.close();
    }
    const sealedUnderA = (await readRows(database.url))[0].secret;

    const wrong = engineOn(database.url, { secret: SECRET_B });
    await assert.rejects(wrong.start(), (error: Error) => error instanceof ConfigError && /sealed with key [0-9a-f]{8}.*MASK_SECRET_PREVIOUS/.test(error.message));
    await wrong.close();

    const rotating = engineOn(database.url, { secret: SECRET_B, secretPrevious: SECRET_A });
    try {
      await rotating.start();
      const [row] = await endpointRows(rotating);
      assert.notEqual(row.secret.split(':')[2], sealedUnderA.split(':')[2], 're-sealed under the new key id');
      verify(secret, await deliverOne(rotating, workspaceId, receiver));
    } finally {
      await rotating.close();
    }
    const onB = engineOn(database.url, { secret: SECRET_B });
    try {
      await onB.start();
      verify(secret, await deliverOne(onB, workspaceId, receiver));
    } finally {
      await onB.close();
    }
    const onlyA = engineOn(database.url, { secret: SECRET_A });
    await assert.rejects(onlyA.start(), (error: Error) => error instanceof ConfigError && /sealed with key/.test(error.message));
    await onlyA.close();
    await database.drop();
  });

  test('SQLite without MASK_SECRET: a key file beside the database, mode 0600; another key there is a clear error', { skip: testDialect() !== 'sqlite' }, async () => {
    database = await createTestDatabase();
    const file = path.join(path.dirname(database.url.slice('sqlite:'.length)), 'mask.key');
    const engine = engineOn(database.url);
    try {
      await engine.start();
      const stat = fs.statSync(file);
      assert.equal(stat.mode & 0o777, 0o600);
      assert.equal(stat.size, 32);
      const workspace = await engine.workspaces.create({ name: 'Key file' });
      await partsOf(engine).webhooks.endpoints.create(systemActor(workspace.id), { url: `${receiver.url}/hook`, events: ['*'] });
      const raw = await partsOf(engine).db('engine_settings').select('value');
      assert.ok(!raw.some((r) => r.value === fs.readFileSync(file).toString('base64')), 'the key is not in the database');
    } finally {
      await engine.close();
    }
    const original = fs.readFileSync(file);
    fs.writeFileSync(file, Buffer.alloc(32, 7));
    const wrong = engineOn(database.url);
    await assert.rejects(wrong.start(), (error: Error) => error instanceof ConfigError && /sealed with key [0-9a-f]{8}, which this engine does not have/.test(error.message));
    await wrong.close();
    fs.writeFileSync(file, Buffer.alloc(5));
    const short = engineOn(database.url);
    await assert.rejects(short.start(), (error: Error) => error instanceof ConfigError && /mask\.key is not a 32-byte key/.test(error.message));
    await short.close();
    // Moving to MASK_SECRET: the key file keeps opening what it sealed, which is re-sealed under MASK_SECRET.
    fs.writeFileSync(file, original);
    const moved = engineOn(database.url, { secret: SECRET_A });
    try {
      await moved.start();
      assert.equal(await partsOf(moved).webhooks.endpoints.sealStoredSecrets(), 0);
    } finally {
      await moved.close();
      await database.drop();
    }
  });

  test('Postgres without MASK_SECRET refuses to start with one line naming MASK_SECRET', async () => {
    const engine = engineOn('postgres://nobody@127.0.0.1:1/none');
    await assert.rejects(engine.start(), (error: Error) => error instanceof ConfigError && /MASK_SECRET is required with Postgres/.test(error.message));
    await engine.close();
    const root = path.join(__dirname, '..', '..', '..');
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'engine', 'cli.ts'), 'start'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', MASK_SECRET: '', REDIS_URL: '', PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.status, 1, result.stderr);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /MASK_SECRET is required with Postgres/);
  });
});

async function readRows(databaseUrl: string) {
  const engine = engineOn(databaseUrl, testSecret());
  try {
    return await endpointRows(engine);
  } finally {
    await engine.close();
  }
}
