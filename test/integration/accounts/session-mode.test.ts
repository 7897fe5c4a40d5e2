import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, signedIn, startAccountsEngine } from './helpers';

describe('Dashboard sessions: X-Mask-Mode picks live or test data', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  test('an admin session creates and lists test keys with X-Mask-Mode: test; live stays the default', async () => {
    const { browser } = await signedIn(t, 'admin');
    const test = { 'x-mask-mode': 'test' };
    const created = await browser.call('POST', '/api/v1/keys', { body: { name: 'CI', scopes: ['links:read'] }, headers: test });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.mode, 'test');
    assert.match(created.body.key, /^mk_test_/);

    const testKeys = await browser.call('GET', '/api/v1/keys', { headers: test });
    assert.deepEqual(testKeys.body.data.map((k: { id: string }) => k.id), [created.body.id]);
    const liveKeys = await browser.call('GET', '/api/v1/keys');
    assert.ok(!liveKeys.body.data.some((k: { id: string }) => k.id === created.body.id), 'not among live keys');
    assert.equal((await browser.call('GET', '/api/v1/me', { headers: { 'x-mask-mode': 'live' } })).body.mode, 'live');
    assert.equal((await browser.call('GET', '/api/v1/me', { headers: test })).body.mode, 'test');

    // The test key itself sees test data only.
    const byKey = await t.api('GET', '/api/v1/me', { key: created.body.key });
    assert.equal(byKey.body.mode, 'test');
  });

  test('a key ignores the header: its mode is its own', async () => {
    const me = await t.api('GET', '/api/v1/me', { headers: { 'x-mask-mode': 'test' } });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.body.mode, 'live');
  });

  test('any other value is refused with 400', async () => {
    const { browser } = await signedIn(t, 'viewer');
    for (const value of ['TEST', 'sandbox', 'live,test']) {
      const answer = await browser.call('GET', '/api/v1/links', { headers: { 'x-mask-mode': value } });
      assertEnvelope(answer, 400, 'bad_request');
      assert.match(answer.body.error.message, /X-Mask-Mode/);
    }
  });
});
