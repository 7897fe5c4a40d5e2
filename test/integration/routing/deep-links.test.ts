import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { visit } from '../../support/redirect-client';

describe('deep-link files per domain: /.well-known/ documents set through the API', () => {
  let t: TestEngine;
  let domainId: string;
  const HOST = 'links.brand.test';
  const aasa = { applinks: { apps: [], details: [{ appIDs: ['ABCDE12345.com.brand.app'], components: [{ '/': '/app/*' }] }] } };
  const assetlinks = [{ relation: ['delegate_permission/common.handle_all_urls'], target: { namespace: 'android_app', package_name: 'com.brand.app', sha256_cert_fingerprints: ['14:6D:E9'] } }];

  before(async () => {
    t = await startTestEngine();
    const created = await t.api('POST', '/api/v1/domains', { body: { hostname: HOST } });
    assert.equal(created.status, 201, created.text);
    domainId = created.body.id;
  });
  after(() => t.stop());

  test('served with application/json and no redirect once set; 404 before, after removal and on other domains', async () => {
    assert.equal((await visit(t.baseUrl, '/.well-known/apple-app-site-association', { host: HOST })).status, 404);
    const set = await t.api('PATCH', `/api/v1/domains/${domainId}/deep-links`, { body: { apple_app_site_association: aasa, assetlinks } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(set.body, { domain_id: domainId, hostname: HOST, apple_app_site_association: aasa, assetlinks });
    assert.deepEqual((await t.api('GET', `/api/v1/domains/${domainId}/deep-links`)).body.assetlinks, assetlinks);

    const apple = await visit(t.baseUrl, '/.well-known/apple-app-site-association', { host: HOST });
    assert.equal(apple.status, 200);
    assert.match(String(apple.headers['content-type']), /^application\/json/);
    assert.equal(apple.headers.location, undefined);
    assert.deepEqual(JSON.parse(apple.body), aasa);
    const android = await visit(t.baseUrl, '/.well-known/assetlinks.json', { host: HOST });
    assert.equal(android.status, 200);
    assert.match(String(android.headers['content-type']), /^application\/json/);
    assert.deepEqual(JSON.parse(android.body), assetlinks);
    assert.equal((await visit(t.baseUrl, '/.well-known/assetlinks.json', { host: TEST_DOMAIN })).status, 404);

    await t.api('PATCH', `/api/v1/domains/${domainId}/deep-links`, { body: { assetlinks: null } });
    assert.equal((await visit(t.baseUrl, '/.well-known/assetlinks.json', { host: HOST })).status, 404);
    assert.equal((await visit(t.baseUrl, '/.well-known/apple-app-site-association', { host: HOST })).status, 200);
  });

  test('bad documents are refused with each field named; other workspaces get 404', async () => {
    const bad = await t.api('PATCH', `/api/v1/domains/${domainId}/deep-links`, { body: { apple_app_site_association: [1], assetlinks: { a: 1 }, extra: true } });
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.body.error.details.map((detail: { field: string }) => detail.field).sort(), ['apple_app_site_association', 'assetlinks', 'extra']);
    const other = await t.createWorkspace('Other');
    assert.equal((await t.api('GET', `/api/v1/domains/${domainId}/deep-links`, { key: other.adminKey })).status, 404);
  });
});
