import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, Browser, signedIn, startAccountsEngine } from './helpers';

describe('Dashboard accounts: sessions', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  test('a user lists their sessions, ends one, and signs out everywhere else', async () => {
    const first = await signedIn(t, 'member');
    const second = new Browser(t);
    await second.call('POST', '/api/v1/auth/login', { body: { email: first.email, password: 'correct horse battery' }, headers: { 'user-agent': 'Second browser' } });
    const third = new Browser(t);
    await third.login(first.email);

    const list = await first.browser.call('GET', '/api/v1/auth/sessions');
    assert.equal(list.status, 200, list.text);
    assert.equal(list.body.data.length, 3);
    for (const item of list.body.data) assert.deepEqual(Object.keys(item).sort(), ['created_at', 'current', 'id', 'ip', 'last_seen_at', 'user_agent']);
    assert.equal(list.body.data.filter((s: { current: boolean }) => s.current).length, 1);
    const secondSession = (await second.call('GET', '/api/v1/auth/sessions')).body.data.find((s: { current: boolean }) => s.current);
    assert.equal(secondSession.user_agent, 'Second browser');
    assert.equal(secondSession.ip, '127.0.0.1');

    // Ending another user's session is a 404, and needs the CSRF token like every write.
    const stranger = await signedIn(t, 'member');
    assertEnvelope(await stranger.browser.call('DELETE', `/api/v1/auth/sessions/${secondSession.id}`), 404, 'not_found');
    assertEnvelope(await first.browser.call('DELETE', `/api/v1/auth/sessions/${secondSession.id}`, { csrf: false }), 403, 'forbidden');
    assert.equal((await first.browser.call('DELETE', `/api/v1/auth/sessions/${secondSession.id}`)).status, 204);
    assertEnvelope(await second.call('GET', '/api/v1/links'), 401, 'unauthorized');
    assertEnvelope(await first.browser.call('DELETE', '/api/v1/auth/sessions/nope'), 404, 'not_found');

    assertEnvelope(await first.browser.call('POST', '/api/v1/auth/sessions/revoke-others', { csrf: false }), 403, 'forbidden');
    assert.equal((await first.browser.call('POST', '/api/v1/auth/sessions/revoke-others')).status, 204);
    assertEnvelope(await third.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    const left = await first.browser.call('GET', '/api/v1/auth/sessions');
    assert.deepEqual(left.body.data.map((s: { current: boolean }) => s.current), [true]);
    assert.equal((await stranger.browser.call('GET', '/api/v1/auth/session')).status, 200, 'other users keep theirs');
  });

  test('sign-out ends the session and clears the cookie', async () => {
    const { browser } = await signedIn(t, 'viewer');
    const old = browser.cookie;
    assertEnvelope(await browser.call('POST', '/api/v1/auth/logout', { csrf: false }), 403, 'forbidden');
    const out = await browser.call('POST', '/api/v1/auth/logout');
    assert.equal(out.status, 204);
    assert.equal(browser.cookie, null, 'cookie cleared');
    browser.cookie = old;
    assertEnvelope(await browser.call('GET', '/api/v1/links'), 401, 'unauthorized');
  });

  test('removing a member ends their sessions', async () => {
    const { browser, email, userId } = await signedIn(t, 'member');
    assert.equal((await browser.call('GET', '/api/v1/links')).status, 200);
    const member = (await t.api('GET', `/api/v1/members?email=${encodeURIComponent(email)}`)).body.data[0];
    assert.equal((await t.api('DELETE', `/api/v1/members/${member.id}`)).status, 200);
    assertEnvelope(await browser.call('GET', '/api/v1/links'), 401, 'unauthorized');
    assertEnvelope(await browser.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    assert.deepEqual(await t.parts.accounts.sessions.list(userId), [], 'the sessions are gone (rows, or Redis keys), not just refused');
    assert.deepEqual(await t.parts.db('user_sessions').where({ user_id: userId }), []);
  });

  test('a changed role applies at the next request', async () => {
    const { browser, email } = await signedIn(t, 'member');
    assert.equal((await browser.call('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'role-before' } })).status, 201);
    const member = (await t.api('GET', `/api/v1/members?email=${encodeURIComponent(email)}`)).body.data[0];
    assert.equal((await t.api('PATCH', `/api/v1/members/${member.id}`, { body: { role: 'viewer' } })).status, 200);
    assertEnvelope(await browser.call('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'role-after' } }), 403, 'forbidden');
  });
});

describe('Dashboard accounts: session timeouts (real time)', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine({ sessionIdle: 1200, sessionMaxAge: 2500 });
  });
  after(() => t.stop());

  test('a session unused for the idle timeout ends; one in use ends at its absolute age', async () => {
    const idle = await signedIn(t, 'member');
    const busy = new Browser(t);
    await busy.login(idle.email);
    const started = Date.now();
    // `busy` is used every 400 ms; `idle` is not.
    while (Date.now() - started < 1800) {
      assert.equal((await busy.call('GET', '/api/v1/links')).status, 200, `busy session alive at ${Date.now() - started} ms`);
      await sleep(400);
    }
    assertEnvelope(await idle.browser.call('GET', '/api/v1/links'), 401, 'unauthorized');
    while (Date.now() - started < 2700) {
      await busy.call('GET', '/api/v1/links');
      await sleep(200);
    }
    assertEnvelope(await busy.call('GET', '/api/v1/links'), 401, 'unauthorized');
  });
});
