import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Knex } from 'knex';
import { Webhook } from 'standardwebhooks';
import { systemActor } from '../../../engine/domain/actor';
import { monthOf, type FlushedClick } from '../../../engine/domain/plans';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';
import { startReceiver, until, type Receiver } from '../../support/webhook-receiver';

const WORKSPACE_FIELDS = ['created_at', 'default_domain', 'id', 'name', 'plan', 'updated_at', 'usage'];
const UNLIMITED = { name: 'default', max_links: null, max_clicks_per_month: null, rate_limit_per_key: null };

describe('Workspace and plan API', () => {
  let t: TestEngine;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback', webhookPollInterval: '50ms' });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await t.stop();
  });

  const db = () => t.parts.db;
  /** A workspace of its own with a live and a test admin key. */
  const fresh = async () => {
    const { workspace, adminKey } = await t.createWorkspace('Plan');
    const testKey = await t.createKey(['admin'], { mode: 'test', workspaceId: workspace.id });
    const call = (method: string, path: string, body?: unknown, key = adminKey) => t.api(method, path, { key, body });
    const link = (body: Record<string, unknown> = {}, key = adminKey) => call('POST', '/api/v1/links', { url: 'https://example.com/', ...body }, key);
    /** The operator changes the plan (as `mask workspace plan` does, with the system actor); answers GET /workspace. */
    const setPlan = async (plan: { name?: string; max_links?: number | null; max_clicks_per_month?: number | null; rate_limit_per_key?: number | null }) => {
      await t.parts.workspaceSettings.update(systemActor(workspace.id), {
        plan: { name: plan.name, maxLinks: plan.max_links, maxClicksPerMonth: plan.max_clicks_per_month, rateLimitPerKey: plan.rate_limit_per_key },
      });
      return call('GET', '/api/v1/workspace');
    };
    return { workspace, adminKey, testKey, call, link, setPlan };
  };
  /** Clicks as the click flush hands them over, added to the month's usage in one transaction. */
  const flushClicks = (clicks: FlushedClick[]) => db().transaction((trx: Knex.Transaction) => t.parts.planLimits.recordClicks(trx, clicks));

  test('GET /workspace shows name, default domain, the plan (unlimited by default) and the caller’s usage', async () => {
    const { workspace, testKey, call, link } = await fresh();
    await link();
    await link();
    await link({}, testKey);
    const response = await call('GET', '/api/v1/workspace');
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), WORKSPACE_FIELDS);
    assert.equal(response.body.id, workspace.id);
    assert.equal(response.body.name, 'Plan');
    assert.equal(response.body.default_domain, TEST_DOMAIN);
    assert.deepEqual(response.body.plan, UNLIMITED);
    const month = monthOf(Date.now());
    assert.deepEqual(response.body.usage, {
      mode: 'live',
      period_start: new Date(month.start).toISOString().replace('.000Z', 'Z'),
      period_end: new Date(month.end).toISOString().replace('.000Z', 'Z'),
      links: 2,
      links_remaining: null,
      clicks_this_month: 0,
      clicks_remaining: null,
    });
    const asTest = await call('GET', '/api/v1/workspace', undefined, testKey);
    assert.equal(asTest.body.usage.mode, 'test');
    assert.equal(asTest.body.usage.links, 1, 'each mode counts its own links');
  });

  test('PATCH changes only what is given; a plan change is delivered as subscription.updated to live and test endpoints', async () => {
    const { workspace, call, testKey, setPlan } = await fresh();
    const endpoints: Record<string, { id: string; secret: string }> = {};
    for (const [mode, key] of [['live', undefined], ['test', testKey]] as const) {
      const created = await call('POST', '/api/v1/webhooks', { url: `${receiver.url}/${workspace.id}/${mode}`, events: ['subscription.updated'] }, key);
      assert.equal(created.status, 201, created.text);
      endpoints[mode] = created.body;
    }
    const deliveries = () => receiver.received.filter((request) => request.path.startsWith(`/${workspace.id}/`));
    const before = (await call('GET', '/api/v1/workspace')).body;
    const renamed = await call('PATCH', '/api/v1/workspace', { name: '  Acme Corp ' });
    assert.equal(renamed.status, 200, renamed.text);
    assert.equal(renamed.body.name, 'Acme Corp');
    assert.deepEqual(renamed.body.plan, UNLIMITED);
    assert.equal(await eventCount(workspace.id), 0, 'a rename is no plan change');

    const upgraded = await setPlan({ name: 'pro', max_links: 1000, max_clicks_per_month: 50000, rate_limit_per_key: 600 });
    assert.equal(upgraded.status, 200, upgraded.text);
    assert.deepEqual(upgraded.body.plan, { name: 'pro', max_links: 1000, max_clicks_per_month: 50000, rate_limit_per_key: 600 });
    assert.equal(upgraded.body.usage.links_remaining, 1000);
    assert.equal(upgraded.body.usage.clicks_remaining, 50000);
    await until(() => deliveries().length === 2, 'subscription.updated at both endpoints');
    for (const mode of ['live', 'test']) {
      const request = deliveries().find((r) => r.path.endsWith(`/${mode}`)) as { body: string; headers: Record<string, unknown> };
      const message = new Webhook(endpoints[mode].secret).verify(request.body, request.headers as Record<string, string>) as Record<string, any>;
      assert.equal(message.type, 'subscription.updated');
      assert.equal(message.workspace_id, workspace.id);
      assert.deepEqual(message.data.plan, upgraded.body.plan);
      assert.deepEqual(message.data.previous.plan, UNLIMITED);
      assert.equal(message.data.name, 'Acme Corp');
      assert.equal(message.data.id, workspace.id);
      assert.equal(message.data.usage, undefined, 'usage is per mode, not part of the event');
    }

    const partial = await setPlan({ max_links: null });
    assert.deepEqual(partial.body.plan, { name: 'pro', max_links: null, max_clicks_per_month: 50000, rate_limit_per_key: 600 }, 'null lifts one limit, the rest stay');
    assert.equal(await eventCount(workspace.id), 4);

    await call('PATCH', '/api/v1/workspace', { name: 'Acme Corp' });
    const unchanged = await setPlan({ name: 'pro', max_links: null });
    assert.equal(unchanged.body.updated_at, partial.body.updated_at, 'nothing changed: updated_at stays');
    assert.equal(await eventCount(workspace.id), 4, 'nothing changed: no event');
    assert.equal((await call('PATCH', '/api/v1/workspace', {})).status, 200);

    const audits = await db()('audit_logs').where({ resource_id: workspace.id, action: 'workspace.updated' }).orderBy('id');
    assert.equal(audits.length, 3);
    assert.deepEqual(JSON.parse(audits[0].changes).name, { before: 'Plan', after: 'Acme Corp' });
    assert.deepEqual(audits.map((a) => a.actor_type), ['api_key', 'system', 'system'], 'plan changes are the operator’s, audited as the system');
    assert.ok(before.updated_at <= renamed.body.updated_at);
  });

  const eventCount = async (workspaceId: string) =>
    Number((await db()('events').where({ workspace_id: workspaceId, type: 'subscription.updated' }).count({ n: '*' }))[0].n);

  test('the default domain is one of the workspace’s domains or the instance domain', async () => {
    const { call, link } = await fresh();
    await call('POST', '/api/v1/domains', { hostname: 'brand.example' });
    const changed = await call('PATCH', '/api/v1/workspace', { default_domain: 'Brand.Example' });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.default_domain, 'brand.example');
    assert.equal((await link()).body.domain, 'brand.example');
    assert.equal((await call('GET', '/api/v1/domains')).body.data[0].is_default, true);
    for (const value of [null, '', TEST_DOMAIN]) {
      await call('PATCH', '/api/v1/workspace', { default_domain: 'brand.example' });
      const reset = await call('PATCH', '/api/v1/workspace', { default_domain: value });
      assert.equal(reset.body.default_domain, TEST_DOMAIN, JSON.stringify(value));
      assert.equal((await call('GET', '/api/v1/domains')).body.data[0].is_default, false);
    }
    const foreign = await t.createWorkspace('Foreign');
    await t.api('POST', '/api/v1/domains', { key: foreign.adminKey, body: { hostname: 'theirs.example' } });
    assertValidation(await call('PATCH', '/api/v1/workspace', { default_domain: 'theirs.example' }), ['default_domain']);
    assertValidation(await call('PATCH', '/api/v1/workspace', { default_domain: 'unknown.example' }), ['default_domain']);
    assertValidation(await call('PATCH', '/api/v1/workspace', { default_domain: 'https://brand.example/' }), ['default_domain']);
  });

  test('bad input answers 422 naming each field; nothing changes', async () => {
    const { workspace, call } = await fresh();
    const bad: Array<[unknown, string[]]> = [
      [{ name: '' }, ['name']],
      [{ name: 'x'.repeat(201) }, ['name']],
      [{ name: 'new\nline' }, ['name']],
      [{ name: 7 }, ['name']],
      [{ plan: 'pro' }, ['plan']],
      [{ plan: { name: '' } }, ['plan.name']],
      [{ plan: { name: 'x'.repeat(65) } }, ['plan.name']],
      [{ plan: { max_links: -1 } }, ['plan.max_links']],
      [{ plan: { max_links: 1.5 } }, ['plan.max_links']],
      [{ plan: { max_links: '100' } }, ['plan.max_links']],
      [{ plan: { max_links: 2_147_483_648 } }, ['plan.max_links']],
      [{ plan: { max_clicks_per_month: -5 } }, ['plan.max_clicks_per_month']],
      [{ plan: { max_clicks_per_month: 1e13 } }, ['plan.max_clicks_per_month']],
      [{ plan: { rate_limit_per_key: 0 } }, ['plan.rate_limit_per_key']],
      [{ plan: { rate_limit_per_key: 100_001 } }, ['plan.rate_limit_per_key']],
      [{ plan: { max_domains: 3 } }, ['plan.max_domains']],
      [{ id: 'ws_other' }, ['id']],
      [{ usage: { links: 0 } }, ['usage']],
      [{ name: '', plan: { max_links: -1, rate_limit_per_key: 'fast' } }, ['name', 'plan.max_links', 'plan.rate_limit_per_key']],
    ];
    for (const [body, fields] of bad) assertValidation(await call('PATCH', '/api/v1/workspace', body), fields);
    const after = (await call('GET', '/api/v1/workspace')).body;
    assert.equal(after.name, 'Plan');
    assert.deepEqual(after.plan, UNLIMITED);
    assert.equal(await eventCount(workspace.id), 0);
  });

  test('the workspace needs an admin key', async () => {
    for (const scopes of [['team:read'], ['links:read', 'links:write', 'analytics:read']] as const) {
      const key = await t.createKey([...scopes]);
      assert.equal((await t.api('GET', '/api/v1/workspace', { key })).status, 403);
      assert.equal((await t.api('PATCH', '/api/v1/workspace', { key, body: { plan: { max_links: null } } })).status, 403);
    }
    assert.equal((await t.api('GET', '/api/v1/workspace', { key: null })).status, 401);
  });

  test('the plan is the operator’s: a workspace’s keys read it but cannot change it; test keys change no live settings', async () => {
    const { workspace, call, testKey, setPlan } = await fresh();
    await setPlan({ name: 'pro', max_links: 10, rate_limit_per_key: 50 });
    assert.equal((await call('GET', '/api/v1/workspace')).status, 200, 'admin keys read the plan');
    for (const body of [{ plan: { max_links: null, rate_limit_per_key: 100_000 } }, { name: 'Renamed', plan: { name: 'enterprise' } }]) {
      const refused = await call('PATCH', '/api/v1/workspace', body);
      assert.equal(refused.status, 403, refused.text);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.match(refused.body.error.message, /mask workspace plan/);
    }
    for (const body of [{ plan: { max_links: null } }, { name: 'From test' }, { default_domain: null }]) {
      const refused = await call('PATCH', '/api/v1/workspace', body, testKey);
      assert.equal(refused.status, 403, refused.text);
      assert.match(refused.body.error.message, /test key/i);
    }
    const after = (await call('GET', '/api/v1/workspace', undefined, testKey)).body;
    assert.deepEqual(after.plan, { name: 'pro', max_links: 10, max_clicks_per_month: null, rate_limit_per_key: 50 }, 'read, unchanged');
    assert.equal(after.name, 'Plan');
    const audits = await db()('audit_logs').where({ resource_id: workspace.id, action: 'workspace.updated' });
    assert.deepEqual(audits.map((a) => a.actor_type), ['system']);
  });

  test('a key’s own rate_limit can only lower its plan’s rate_limit_per_key (or the instance default)', async () => {
    const { call, setPlan } = await fresh();
    const me = (await call('GET', '/api/v1/me')).body;
    const own = `/api/v1/keys/${me.key.id}`;
    const over = await call('PATCH', own, { rate_limit: 100_000 });
    assertValidation(over, ['rate_limit']);
    assert.match(over.body.error.details[0].message, /at most 1000 .*instance default/);
    await setPlan({ rate_limit_per_key: 50 });
    const refused = await call('PATCH', own, { rate_limit: 51 });
    assertValidation(refused, ['rate_limit']);
    assert.match(refused.body.error.message, /rate_limit_per_key \(50\)[\s\S]*mask workspace plan/);
    assertValidation(await call('POST', '/api/v1/keys', { name: 'fast', scopes: ['links:read'], rate_limit: 60 }), ['rate_limit']);
    const lowered = await call('PATCH', own, { rate_limit: 40 });
    assert.equal(lowered.status, 200, lowered.text);
    assert.equal(lowered.body.rate_limit, 40);
    assert.equal((await call('POST', '/api/v1/keys', { name: 'slow', scopes: ['links:read'], rate_limit: 50 })).status, 201);
    assert.equal((await call('PATCH', own, { rate_limit: null })).status, 200, 'back to the plan’s limit');
  });

  test('rate_limit_per_key is the workspace’s per-key limit: it applies to the next request; a key’s own lower limit still wins', async () => {
    const { workspace, call, setPlan } = await fresh();
    const reader = await t.createKey(['links:read'], { workspaceId: workspace.id });
    await call('GET', '/api/v1/links', undefined, reader);
    const changed = await setPlan({ rate_limit_per_key: 2 });
    assert.equal(changed.body.plan.rate_limit_per_key, 2);
    assert.equal((await db()('workspaces').where({ id: workspace.id }).first()).rate_limit, 2, 'the column the API guard reads');
    const first = await call('GET', '/api/v1/links', undefined, reader);
    assert.equal(first.headers.get('x-ratelimit-limit'), '2', 'no wait for the cached limit to expire');
    await call('GET', '/api/v1/links', undefined, reader);
    const refused = await call('GET', '/api/v1/links', undefined, reader);
    assert.equal(refused.status, 429);
    const own = await t.parts.keys.create({ workspaceId: workspace.id, name: 'own', mode: 'live', scopes: ['links:read'], rateLimit: 1 });
    assert.equal((await call('GET', '/api/v1/links', undefined, own.secret)).headers.get('x-ratelimit-limit'), '1');
    // The admin key is limited too: the GET after the first change was its first request in the window, this its second.
    const lifted = await setPlan({ rate_limit_per_key: null });
    assert.equal(lifted.status, 200, lifted.text);
    assert.equal((await call('GET', '/api/v1/links', undefined, reader)).headers.get('x-ratelimit-limit'), '1000', 'null: the instance default');
  });

  test('a plan lowered below a key’s own rate_limit caps it: the key object shows both, the limiter applies the lower', async () => {
    const { workspace, call, setPlan } = await fresh();
    await setPlan({ rate_limit_per_key: 50 });
    const created = await call('POST', '/api/v1/keys', { name: 'own 40', scopes: ['links:read'], rate_limit: 40 });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.rate_limit, 40);
    assert.equal(created.body.effective_rate_limit, 40, 'below the plan: its own');
    const plain = await call('POST', '/api/v1/keys', { name: 'plain', scopes: ['links:read'] });
    assert.deepEqual([plain.body.rate_limit, plain.body.effective_rate_limit], [null, 50], 'none of its own: the plan’s');
    // Made by the operator above the plan (the workspace could not have set it): the plan still caps it.
    const operators = await t.parts.keys.create({ workspaceId: workspace.id, name: 'operator', mode: 'live', scopes: ['links:read'], rateLimit: 500 });

    // Every key is capped at 3 from here: the admin key has used its 3 already, so a fresh one lists the keys.
    const lister = (await t.parts.keys.create({ workspaceId: workspace.id, name: 'lister', mode: 'live', scopes: ['admin'] })).secret;
    await setPlan({ rate_limit_per_key: 3 });
    const listed = (await call('GET', '/api/v1/keys?limit=100', undefined, lister)).body.data as Array<{ id: string; rate_limit: number | null; effective_rate_limit: number }>;
    const shown = (id: string) => listed.find((k) => k.id === id)!;
    assert.deepEqual([shown(created.body.id).rate_limit, shown(created.body.id).effective_rate_limit], [40, 3]);
    assert.deepEqual([shown(plain.body.id).rate_limit, shown(plain.body.id).effective_rate_limit], [null, 3]);
    assert.deepEqual([shown(operators.key.id).rate_limit, shown(operators.key.id).effective_rate_limit], [500, 3]);

    for (const key of [created.body.key, operators.secret]) {
      for (let i = 0; i < 3; i++) {
        const allowed = await call('GET', '/api/v1/links', undefined, key);
        assert.equal(allowed.status, 200, allowed.text);
        assert.equal(allowed.headers.get('x-ratelimit-limit'), '3', 'the plan caps the key’s own 40 / 500');
      }
      assert.equal((await call('GET', '/api/v1/links', undefined, key)).status, 429);
    }

    await setPlan({ rate_limit_per_key: null });
    const lifted = (await call('GET', `/api/v1/keys?limit=100`)).body.data as Array<{ id: string; effective_rate_limit: number }>;
    assert.equal(lifted.find((k) => k.id === created.body.id)!.effective_rate_limit, 40, 'no plan limit: its own again');
    assert.equal(lifted.find((k) => k.id === plain.body.id)!.effective_rate_limit, 1000, 'neither: the instance default');
    const patched = await call('PATCH', `/api/v1/keys/${created.body.id}`, { rate_limit: 30 });
    assert.deepEqual([patched.body.rate_limit, patched.body.effective_rate_limit], [30, 30]);
  });

  test('max_links: creating past it answers 403 plan_limit_reached; each mode has its own allowance', async () => {
    const { call, link, testKey, setPlan } = await fresh();
    await setPlan({ name: 'starter', max_links: 2 });
    assert.equal((await link({ slug: 'first' })).status, 201);
    assert.equal((await link()).status, 201);
    const refused = await link({ slug: 'third' });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, 'plan_limit_reached');
    assert.match(refused.body.error.message, /"starter" plan allows 2 live links/);
    assert.deepEqual(refused.body.error.limit, { name: 'max_links', max: 2, used: 2 });
    const usage = (await call('GET', '/api/v1/workspace')).body.usage;
    assert.equal(usage.links, 2);
    assert.equal(usage.links_remaining, 0);

    assert.equal((await link({}, testKey)).status, 201, 'test mode has its own allowance');
    assert.equal((await link({}, testKey)).status, 201);
    assert.equal((await link({}, testKey)).status, 403);

    const first = (await call('GET', '/api/v1/links')).body.data.find((l: { slug: string }) => l.slug === 'first');
    await call('DELETE', `/api/v1/links/${first.id}`);
    assert.equal((await link({ slug: 'third' })).status, 201, 'deleting a link frees its place');
    await setPlan({ max_links: 0 });
    assert.equal((await link()).status, 403, 'lowered below usage: existing links stay, new ones are refused');
    assert.equal((await call('GET', '/api/v1/links')).body.data.length, 2);
    await setPlan({ max_links: null });
    assert.equal((await link()).status, 201, 'no limit again');
  });

  test('bulk create stops at the plan: items past the allowance fail one by one, in order', async () => {
    const { call, link, setPlan } = await fresh();
    await setPlan({ max_links: 3 });
    await link({ slug: 'taken-slug' });
    const response = await call('POST', '/api/v1/links/bulk', {
      links: [
        { url: 'https://example.com/1' },
        { url: 'https://example.com/2', slug: 'taken-slug' },
        { url: 'ftp://bad' },
        { url: 'https://example.com/3' },
        { url: 'https://example.com/4' },
        { url: 'https://example.com/5' },
      ],
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body.data.map((l: { url: string }) => l.url), ['https://example.com/1', 'https://example.com/3']);
    assert.deepEqual(
      response.body.errors.map((e: { index: number; error: { code: string } }) => [e.index, e.error.code]),
      [[1, 'conflict'], [2, 'validation_error'], [4, 'plan_limit_reached'], [5, 'plan_limit_reached']],
    );
    assert.equal((await call('GET', '/api/v1/workspace')).body.usage.links, 3);
  });

  test('concurrent creates never overshoot max_links', async () => {
    const { call, link, setPlan } = await fresh();
    await setPlan({ max_links: 3 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => link({ slug: `race-${i}` })));
    assert.deepEqual(results.map((r) => r.status).sort(), [201, 201, 201, 403, 403, 403, 403, 403]);
    assert.equal((await call('GET', '/api/v1/workspace')).body.usage.links, 3);
  });

  test('max_clicks_per_month: usage counts flushed clicks per mode and month; at the limit new links answer 403', async () => {
    const { workspace, call, link, testKey, setPlan } = await fresh();
    const now = Date.now();
    const month = monthOf(now);
    const click = (over: Partial<FlushedClick> = {}): FlushedClick => ({ workspaceId: workspace.id, mode: 'live', at: now, counted: true, ...over });
    await flushClicks([
      click(),
      click(),
      click({ counted: false }),
      click({ mode: 'test' }),
      click({ at: month.start - 1 }),
      click({ workspaceId: t.workspace.id }),
    ]);
    await flushClicks([click(), click()]);
    assert.equal((await call('GET', '/api/v1/workspace')).body.usage.clicks_this_month, 4, 'counted, live, this month, this workspace');
    assert.equal((await call('GET', '/api/v1/workspace', undefined, testKey)).body.usage.clicks_this_month, 1);

    await setPlan({ max_clicks_per_month: 4 });
    const usage = (await call('GET', '/api/v1/workspace')).body.usage;
    assert.equal(usage.clicks_remaining, 0);
    const refused = await link();
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, 'monthly_click_limit_reached');
    assert.match(refused.body.error.message, /keep redirecting/);
    assert.deepEqual(refused.body.error.limit, { name: 'max_clicks_per_month', max: 4, used: 4, resets_at: usage.period_end });
    const bulk = await call('POST', '/api/v1/links/bulk', { links: [{ url: 'https://example.com/a' }, { url: 'https://example.com/b' }] });
    assert.deepEqual(bulk.body.errors.map((e: { error: { code: string } }) => e.error.code), ['monthly_click_limit_reached', 'monthly_click_limit_reached']);
    assert.equal((await link({}, testKey)).status, 201, 'the test mode allowance is separate');

    await setPlan({ max_clicks_per_month: 5 });
    assert.equal((await link()).status, 201, 'a larger plan allows links again');
  });
});
