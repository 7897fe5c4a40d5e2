import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('HTTPS-only API (seed 001: "Plain HTTP requests are rejected")', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ requireHttps: true, trustProxy: 'loopback' });
  });
  after(() => t.stop());

  test('a plain HTTP request is refused with a 403 envelope before its key is looked at, and gets no HSTS', async () => {
    for (const headers of [{}, { 'x-forwarded-proto': 'http' }] as Array<Record<string, string>>) {
      for (const key of [t.adminKey, 'mk_live_not-a-key']) {
        const refused = await t.api('GET', '/api/v1/me', { key, headers });
        assert.equal(refused.status, 403, refused.text);
        assert.equal(refused.body.error.code, 'forbidden');
        assert.match(refused.body.error.message, /only HTTPS/);
        assert.equal(refused.headers.get('strict-transport-security'), null);
        assert.match(refused.headers.get('x-request-id') ?? '', /^req_/);
      }
    }
    const login = await t.api('POST', '/api/v1/auth/login', { key: null, body: { email: 'a@example.com', password: 'x'.repeat(12) } });
    assert.equal(login.status, 403, 'public routes too: a password must not travel in the clear either');
  });

  test('over HTTPS, as a trusted proxy says, the API answers and sends HSTS', async () => {
    const me = await t.api('GET', '/api/v1/me', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.headers.get('strict-transport-security'), 'max-age=31536000');
    const error = await t.api('GET', '/api/v1/links/lnk_none', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(error.status, 404);
    assert.equal(error.headers.get('strict-transport-security'), 'max-age=31536000');
  });

  test('health probes, short links and the public API description are not refused', async () => {
    assert.equal((await fetch(`${t.baseUrl}/api/v1/openapi.json`)).status, 200);
    assert.equal((await fetch(`${t.baseUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${t.baseUrl}/some-slug`, { redirect: 'manual' })).status, 404);
  });
});

describe('HTTPS-only API without TRUST_PROXY', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ requireHttps: true });
  });
  after(() => t.stop());

  test('X-Forwarded-Proto from an untrusted client is not believed', async () => {
    const refused = await t.api('GET', '/api/v1/me', { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
  });
});

describe('HTTPS-only API off (the default)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('plain HTTP works for the localhost quick start, without HSTS', async () => {
    const me = await t.api('GET', '/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.headers.get('strict-transport-security'), null);
  });
});
