import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, Browser, PASSWORD, signedIn, startAccountsEngine } from './helpers';

const NEW_PASSWORD = 'a brand new passphrase';

describe('POST /auth/password: a signed-in user changes their password', () => {
  let t: TestEngine;
  before(async () => {
    t = await startAccountsEngine();
  });
  after(() => t.stop());

  test('with the current password: the new one signs in, the old one no longer does, other sessions end, this one stays', async () => {
    const { browser, email } = await signedIn(t, 'viewer');
    const other = new Browser(t);
    await other.login(email);
    const changed = await browser.call('POST', '/api/v1/auth/password', { body: { current_password: PASSWORD, new_password: NEW_PASSWORD } });
    assert.equal(changed.status, 204, changed.text);
    assert.equal((await browser.call('GET', '/api/v1/auth/session')).status, 200, 'this session stays');
    assert.equal((await other.call('GET', '/api/v1/auth/session')).status, 401, 'the other session ended');
    assertEnvelope(await new Browser(t).call('POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } }), 401);
    await new Browser(t).login(email, NEW_PASSWORD);
  });

  test('a wrong current password is 422 at current_password; a short new one is 422 at new_password; nothing changes', async () => {
    const { browser, email } = await signedIn(t, 'member');
    const wrong = await browser.call('POST', '/api/v1/auth/password', { body: { current_password: 'not it', new_password: NEW_PASSWORD } });
    assertEnvelope(wrong, 422, 'validation_error');
    assert.deepEqual(wrong.body.error.details.map((d: { field: string }) => d.field), ['current_password']);
    const short = await browser.call('POST', '/api/v1/auth/password', { body: { current_password: PASSWORD, new_password: 'short' } });
    assertEnvelope(short, 422, 'validation_error');
    assert.deepEqual(short.body.error.details.map((d: { field: string }) => d.field), ['new_password']);
    const unknown = await browser.call('POST', '/api/v1/auth/password', { body: { current_password: PASSWORD, new_password: NEW_PASSWORD, extra: 1 } });
    assertEnvelope(unknown, 422, 'validation_error');
    await new Browser(t).login(email, PASSWORD);
  });

  test('wrong current passwords count like failed sign-ins: after 10, even the right one is 429', async () => {
    const { browser } = await signedIn(t, 'member');
    for (let i = 0; i < 10; i++) {
      assertEnvelope(await browser.call('POST', '/api/v1/auth/password', { body: { current_password: `guess ${i}`, new_password: NEW_PASSWORD } }), 422);
    }
    const limited = await browser.call('POST', '/api/v1/auth/password', { body: { current_password: PASSWORD, new_password: NEW_PASSWORD } });
    assertEnvelope(limited, 429, 'rate_limit_exceeded');
  });

  test('needs a session (an API key or nobody is 401) and the CSRF token (403)', async () => {
    const body = { current_password: PASSWORD, new_password: NEW_PASSWORD };
    assertEnvelope(await t.api('POST', '/api/v1/auth/password', { body }), 401);
    assertEnvelope(await new Browser(t).call('POST', '/api/v1/auth/password', { body }), 401);
    const { browser } = await signedIn(t, 'admin');
    assertEnvelope(await browser.call('POST', '/api/v1/auth/password', { body, csrf: false }), 403, 'forbidden');
  });
});
