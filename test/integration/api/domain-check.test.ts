import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

describe('POST /domains/:id/check: does the domain lead to this MASK?', () => {
  let t: TestEngine;
  let elsewhere: Receiver;
  before(async () => {
    t = await startTestEngine();
    elsewhere = await startReceiver(() => ({ status: 200, body: 'some other site' }));
  });
  after(async () => {
    await elsewhere.close();
    await t.stop();
  });

  const add = async (hostname: string) => {
    const created = await t.api('POST', '/api/v1/domains', { body: { hostname, secure: false } });
    assert.equal(created.status, 201, created.text);
    return created.body.id as string;
  };

  test('a domain that reaches this engine is verified; the public answer depends on the nonce and the domain', async () => {
    const hostname = `localhost:${new URL(t.baseUrl).port}`;
    const id = await add(hostname);
    const checked = await t.api('POST', `/api/v1/domains/${id}/check`);
    assert.equal(checked.status, 200, checked.text);
    assert.equal(checked.body.verified, true, checked.text);
    assert.equal(checked.body.problem, null);
    assert.match(checked.body.checked_url, new RegExp(`^http://${hostname}/\\.well-known/mask-domain-check/[A-Za-z0-9_-]{32}$`));

    const answer = async (nonce: string) => (await fetch(`${t.baseUrl}/.well-known/mask-domain-check/${nonce}`, { headers: { host: hostname } })).text();
    const a = await answer('a'.repeat(16));
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, await answer('b'.repeat(16)));
    assert.equal((await fetch(`${t.baseUrl}/.well-known/mask-domain-check/short`, { headers: { host: hostname } })).status, 404, 'a malformed nonce');
  });

  test('a domain whose server is another one, or that does not answer at all, is not verified and says why', async () => {
    const other = await add(`localhost:${new URL(elsewhere.url).port}`);
    const wrong = await t.api('POST', `/api/v1/domains/${other}/check`);
    assert.equal(wrong.status, 200, wrong.text);
    assert.equal(wrong.body.verified, false);
    assert.match(wrong.body.problem, /not as this MASK/);
    assert.equal(elsewhere.received.length, 1, 'the check asked that server');

    const nowhere = await add('go.does-not-resolve.invalid');
    const silent = await t.api('POST', `/api/v1/domains/${nowhere}/check`);
    assert.equal(silent.body.verified, false);
    assert.match(silent.body.problem, /did not answer/);
  });

  test('admin only (403 otherwise); another workspace’s domain or an unknown id is 404', async () => {
    const id = await add('check-scope.example.com');
    const reader = await t.createKey(['links:read']);
    const refused = await t.api('POST', `/api/v1/domains/${id}/check`, { key: reader });
    assert.equal(refused.status, 403, refused.text);
    const other = await t.createWorkspace('Other');
    assert.equal((await t.api('POST', `/api/v1/domains/${id}/check`, { key: other.adminKey })).status, 404);
    assert.equal((await t.api('POST', '/api/v1/domains/dom_00000000000000000000000000/check')).status, 404);
  });
});
