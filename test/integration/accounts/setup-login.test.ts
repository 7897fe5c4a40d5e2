import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { assertEnvelope, Browser, movableClock, PASSWORD, sessionCookie, signedIn, startAccountsEngine, uniqueEmail } from './helpers';

describe('Dashboard accounts: first-start setup and sign-in', () => {
  let t: TestEngine;
  const clock = movableClock();
  before(async () => {
    t = await startAccountsEngine({ clock, trustProxy: 'loopback' });
  });
  after(() => t.stop());

  test('the setup link creates the owner once, signs them in, and cannot be used again', async () => {
    const { token } = await t.parts.accounts.createSetupToken(t.workspace.id);
    const check = await t.api('GET', `/api/v1/auth/setup?token=${token}`, { key: null });
    assert.equal(check.status, 200, check.text);
    assert.deepEqual(check.body, { valid: true, kind: 'setup' });

    const browser = new Browser(t);
    const email = uniqueEmail('owner');
    const created = await browser.call('POST', '/api/v1/auth/setup', { body: { token, email: email.toUpperCase(), name: 'Ada', password: PASSWORD } });
    assert.equal(created.status, 200, created.text);
    assert.deepEqual(Object.keys(created.body).sort(), ['csrf_token', 'user', 'workspace_id', 'workspaces']);
    assert.equal(created.body.user.email, email);
    assert.match(created.body.user.id, /^usr_/);
    assert.deepEqual(created.body.workspaces, [{ id: t.workspace.id, name: t.workspace.name, role: 'owner' }]);
    assert.equal(created.body.workspace_id, t.workspace.id);
    assert.ok(browser.cookie, 'signed in');

    const session = await browser.call('GET', '/api/v1/auth/session');
    assert.equal(session.status, 200, session.text);
    assert.equal(session.body.user.email, email);

    assertEnvelope(await t.api('GET', `/api/v1/auth/setup?token=${token}`, { key: null }), 404, 'not_found');
    const again = await new Browser(t).call('POST', '/api/v1/auth/setup', { body: { token, email: uniqueEmail(), name: 'Eve', password: PASSWORD } });
    assertEnvelope(again, 404, 'not_found');
  });

  test('a setup link expires after 24 hours', async () => {
    const { token } = await t.parts.accounts.createSetupToken(t.workspace.id);
    clock.advance(24 * 3_600_000 + 1000);
    assertEnvelope(await t.api('GET', `/api/v1/auth/setup?token=${token}`, { key: null }), 404, 'not_found');
    const late = await new Browser(t).call('POST', '/api/v1/auth/setup', { body: { token, email: uniqueEmail(), name: 'Late', password: PASSWORD } });
    assertEnvelope(late, 404, 'not_found');
  });

  test('sign-in sets an HttpOnly, SameSite=Lax, Path=/ cookie; over HTTPS it is Secure with the __Host- prefix', async () => {
    const { email } = await signedIn(t, 'member');
    const plain = await t.api('POST', '/api/v1/auth/login', { key: null, body: { email, password: PASSWORD } });
    assert.equal(plain.status, 200, plain.text);
    const cookie = sessionCookie(plain);
    assert.equal(cookie.name, 'mask_session');
    assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
    for (const attribute of ['httponly', 'samesite=lax', 'path=/']) assert.ok(cookie.attributes.includes(attribute), `${attribute} in ${cookie.attributes}`);
    assert.ok(!cookie.attributes.includes('secure'), 'not Secure over plain HTTP');
    assert.ok(!cookie.attributes.some((a) => a.startsWith('domain=')), 'no Domain');
    assert.equal(plain.headers.get('cache-control'), 'no-store');

    const secure = await t.api('POST', '/api/v1/auth/login', { key: null, body: { email, password: PASSWORD }, headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(secure.status, 200, secure.text);
    const hostCookie = sessionCookie(secure);
    assert.equal(hostCookie.name, '__Host-mask_session');
    assert.ok(hostCookie.attributes.includes('secure'));
    assert.ok(hostCookie.attributes.includes('path=/'));
    const viaHttps = await t.api('GET', '/api/v1/auth/session', { key: null, headers: { cookie: `__Host-mask_session=${hostCookie.value}`, 'x-forwarded-proto': 'https' } });
    assert.equal(viaHttps.status, 200, viaHttps.text);
  });

  test('a wrong password is 401; after 10 failures the account is refused (429) even with the right password', async () => {
    const { email } = await signedIn(t, 'viewer');
    const unknown = await t.api('POST', '/api/v1/auth/login', { key: null, body: { email: uniqueEmail('nobody'), password: PASSWORD } });
    assertEnvelope(unknown, 401, 'unauthorized');
    for (let i = 0; i < 10; i++) {
      const wrong = await t.api('POST', '/api/v1/auth/login', { key: null, body: { email, password: 'wrong password!' } });
      assertEnvelope(wrong, 401, 'unauthorized');
      assert.equal(wrong.body.error.message, unknown.body.error.message, 'unknown accounts and wrong passwords look alike');
    }
    const limited = await t.api('POST', '/api/v1/auth/login', { key: null, body: { email, password: PASSWORD } });
    assertEnvelope(limited, 429, 'rate_limit_exceeded');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // The limit is the account's: another account signs in from the same address.
    const other = await signedIn(t, 'viewer');
    assert.ok(other.browser.cookie);
  });

  test('sign-in rotates the session: a session id presented before sign-in is ended, never reused (fixation)', async () => {
    const { email } = await signedIn(t, 'member');
    const attacker = new Browser(t);
    await attacker.login(email);
    const fixed = attacker.cookie as string;
    // The victim's browser carries the attacker's session id, then signs in.
    const victim = new Browser(t);
    victim.cookie = fixed;
    await victim.login(email);
    assert.ok(victim.cookie && victim.cookie !== fixed, 'a new session id');
    assertEnvelope(await attacker.call('GET', '/api/v1/auth/session'), 401, 'unauthorized');
    assert.equal((await victim.call('GET', '/api/v1/auth/session')).status, 200);

    const made = new Browser(t);
    made.cookie = 'A'.repeat(43);
    await made.login(email);
    assert.notEqual(made.cookie, 'A'.repeat(43), 'an invented id is not adopted');
  });

  test('without a session, GET /auth/session is 401 and sign-out needs one', async () => {
    assertEnvelope(await t.api('GET', '/api/v1/auth/session', { key: null }), 401, 'unauthorized');
    assertEnvelope(await t.api('POST', '/api/v1/auth/logout', { key: null }), 401, 'unauthorized');
    assert.deepEqual((await t.api('GET', '/api/v1/auth/oidc', { key: null })).body, { enabled: false });
  });

  test('every bad input is a 4xx envelope', async () => {
    const { token } = await t.parts.accounts.createSetupToken(t.workspace.id);
    const post = (path: string, body?: unknown, rawBody?: string) => new Browser(t).call('POST', path, { body, rawBody });
    const details = (response: { body: { error: { details?: Array<{ field: string }> } } }) => (response.body.error.details ?? []).map((d) => d.field).sort();

    const empty = await post('/api/v1/auth/login', {});
    assertEnvelope(empty, 422, 'validation_error');
    assert.deepEqual(details(empty), ['email', 'password']);
    assertEnvelope(await post('/api/v1/auth/login', { email: 'not-an-email', password: PASSWORD }), 422, 'validation_error');
    assertEnvelope(await post('/api/v1/auth/login', { email: uniqueEmail(), password: PASSWORD, remember: true }), 422, 'validation_error');
    assertEnvelope(await post('/api/v1/auth/login', undefined, '{"email": '), 400, 'bad_request');
    assertEnvelope(await post('/api/v1/auth/login', undefined, '[1]'), 400, 'bad_request');

    const short = await post('/api/v1/auth/setup', { token, email: uniqueEmail(), name: 'Ada', password: 'short' });
    assertEnvelope(short, 422, 'validation_error');
    assert.deepEqual(details(short), ['password']);
    const long = await post('/api/v1/auth/setup', { token, email: uniqueEmail(), name: 'Ada', password: 'x'.repeat(201) });
    assert.deepEqual(details(long), ['password']);
    const missing = await post('/api/v1/auth/setup', { token });
    assertEnvelope(missing, 422, 'validation_error');
    assert.deepEqual(details(missing), ['email', 'name', 'password']);
    assertEnvelope(await post('/api/v1/auth/setup', { token, email: 'ada@', name: 'Ada', password: PASSWORD }), 422, 'validation_error');
    assertEnvelope(await post('/api/v1/auth/setup', undefined, 'nope'), 400, 'bad_request');
    assertEnvelope(await t.api('GET', '/api/v1/auth/setup', { key: null }), 422, 'validation_error');
    assertEnvelope(await t.api('GET', '/api/v1/auth/setup?token=nope', { key: null }), 404, 'not_found');
    const text = await t.api('POST', '/api/v1/auth/login', { key: null, rawBody: 'email=a', headers: { 'content-type': 'text/plain' } });
    assertEnvelope(text, 415, 'unsupported_media_type');
    // The token was never used by any of these.
    assert.equal((await t.api('GET', `/api/v1/auth/setup?token=${token}`, { key: null })).status, 200);
  });

  test('a cross-site sign-in form is refused (login CSRF)', async () => {
    const { email } = await signedIn(t, 'member');
    const body = { email, password: PASSWORD };
    assertEnvelope(await t.api('POST', '/api/v1/auth/login', { key: null, body, headers: { origin: 'https://evil.example' } }), 403, 'forbidden');
    assertEnvelope(await t.api('POST', '/api/v1/auth/login', { key: null, body, headers: { 'sec-fetch-site': 'cross-site' } }), 403, 'forbidden');
    assert.equal((await t.api('POST', '/api/v1/auth/login', { key: null, body, headers: { origin: t.baseUrl, 'sec-fetch-site': 'same-origin' } })).status, 200);
  });
});
