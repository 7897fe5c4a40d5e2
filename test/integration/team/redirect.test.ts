import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemActor } from '../../../engine/domain/actor';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { BOT_UA, DESKTOP_UA, visit } from '../../support/redirect-client';
import { until } from '../../support/webhook-receiver';

describe('Custom domains and the plan on the redirect path', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  /** A workspace of its own, so usage starts at zero. */
  const fresh = async () => {
    const { workspace, adminKey } = await t.createWorkspace('Redirects');
    const call = (method: string, path: string, body?: unknown) => t.api(method, path, { key: adminKey, body });
    return { workspace, call };
  };

  test('a link on a newly added domain redirects when requested with that Host header', async () => {
    const { call } = await fresh();
    assert.equal((await call('POST', '/api/v1/domains', { hostname: 'go.brand.example' })).status, 201);
    const link = await call('POST', '/api/v1/links', { url: 'https://example.com/brand-landing', domain: 'go.brand.example', slug: 'spring' });
    assert.equal(link.status, 201, link.text);
    assert.equal(link.body.short_url, 'https://go.brand.example/spring');

    const redirected = await visit(t.baseUrl, '/spring', { host: 'go.brand.example', headers: { 'user-agent': DESKTOP_UA } });
    assert.equal(redirected.status, 302, redirected.body);
    assert.equal(redirected.location, 'https://example.com/brand-landing');
    const spelled = await visit(t.baseUrl, '/spring', { host: 'GO.Brand.Example.' });
    assert.equal(spelled.location, 'https://example.com/brand-landing', 'Host is compared in canonical form');
    assert.equal((await visit(t.baseUrl, '/spring', { host: TEST_DOMAIN })).status, 404, 'the slug belongs to its domain only');

    await t.parts.clicks.flush();
    assert.equal((await call('GET', `/api/v1/links/${link.body.id}`)).body.clicks, 2);

    const domainId = (await call('GET', '/api/v1/domains')).body.data[0].id;
    await call('PATCH', `/api/v1/domains/${domainId}`, { secure: false });
    const { redirects } = t.parts;
    await until(() => redirects.domains.lookup('go.brand.example')?.secure === false, 'the redirect path to see the new scheme', 5_000);
  });

  test('the default domain carries links that name none, and redirects on it', async () => {
    const { call } = await fresh();
    await call('POST', '/api/v1/domains', { hostname: 'links.shop.example', is_default: true });
    const link = await call('POST', '/api/v1/links', { url: 'https://example.com/shop' });
    assert.equal(link.body.domain, 'links.shop.example');
    const redirected = await visit(t.baseUrl, `/${link.body.slug}`, { host: 'links.shop.example' });
    assert.equal(redirected.location, 'https://example.com/shop');
  });

  test('past max_clicks_per_month short links keep redirecting, usage shows the clicks, and new links are refused', async () => {
    const { call, workspace } = await fresh();
    const link = (await call('POST', '/api/v1/links', { url: 'https://example.com/popular' })).body;
    // The operator's plan change (as `mask workspace plan`): a workspace's keys cannot change their plan.
    await t.parts.workspaceSettings.update(systemActor(workspace.id), { plan: { maxClicksPerMonth: 2 } });
    for (let i = 0; i < 3; i++) {
      assert.equal((await visit(t.baseUrl, `/${link.slug}`, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status, 302);
    }
    await visit(t.baseUrl, `/${link.slug}`, { host: TEST_DOMAIN, headers: { 'user-agent': BOT_UA } });
    await visit(t.baseUrl, `/${link.slug}`, { host: TEST_DOMAIN, method: 'HEAD' });
    await t.parts.clicks.flush();

    const usage = (await call('GET', '/api/v1/workspace')).body.usage;
    assert.equal(usage.clicks_this_month, 3, 'counted clicks only: no bot, no HEAD');
    assert.equal(usage.clicks_remaining, 0);
    const after = await visit(t.baseUrl, `/${link.slug}`, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } });
    assert.equal(after.status, 302, 'visitors are never refused for the owner’s plan');
    assert.equal(after.location, 'https://example.com/popular');
    const refused = await call('POST', '/api/v1/links', { url: 'https://example.com/another' });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'monthly_click_limit_reached');
  });
});
