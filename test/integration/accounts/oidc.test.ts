import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../../support/engine';
import { OIDC_CLIENT_ID as CLIENT_ID, OIDC_CLIENT_SECRET as CLIENT_SECRET, startOidcProvider, type Person } from '../../support/oidc';
import { PASSWORD, startAccountsEngine } from './helpers';

/** Cookies per origin, just enough for the provider's interaction pages. */
class Jar {
  private readonly cookies = new Map<string, Map<string, string>>();
  header(url: URL): string {
    return [...(this.cookies.get(url.origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }
  take(url: URL, response: Response): void {
    const jar = this.cookies.get(url.origin) ?? new Map<string, string>();
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) jar.delete(pair.slice(0, eq));
      else jar.set(pair.slice(0, eq), value);
    }
    this.cookies.set(url.origin, jar);
  }
  get(origin: string, name: string): string | undefined {
    return this.cookies.get(origin)?.get(name);
  }
}

/**
 * Drives a browser through the sign-in: the engine's start route, the provider's login form (as `login`) and consent
 * form, until the engine's callback has answered. Returns that answer's redirect and the jar.
 */
async function signInThroughProvider(baseUrl: string, login: string, options: { dropFlowCookie?: boolean } = {}) {
  const jar = new Jar();
  let url = new URL('/api/v1/auth/oidc/start', baseUrl);
  let method = 'GET';
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    const headers: Record<string, string> = { cookie: jar.header(url) };
    if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method, body, headers, redirect: 'manual' });
    jar.take(url, response);
    if (url.pathname === '/api/v1/auth/oidc/start' && options.dropFlowCookie) jar.take(url, new Response(null, { headers: { 'set-cookie': 'mask_oidc=; Path=/' } }));
    if (url.pathname === '/api/v1/auth/oidc/callback') return { response, location: response.headers.get('location') ?? '', jar };
    method = 'GET';
    body = undefined;
    if (response.status >= 300 && response.status < 400) {
      url = new URL(response.headers.get('location') as string, url);
      continue;
    }
    const html = await response.text();
    assert.equal(response.status, 200, html);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    assert.ok(action, html);
    const fields = new URLSearchParams();
    for (const [, name, value] of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) fields.set(name, value);
    if (/name="login"/.test(html)) {
      fields.set('login', login);
      fields.set('password', 'anything');
    }
    url = new URL(action, url);
    method = 'POST';
    body = fields.toString();
  }
  throw new Error('the sign-in did not reach the callback');
}

describe('Dashboard accounts: OIDC single sign-on', () => {
  let t: TestEngine;
  let provider: Awaited<ReturnType<typeof startOidcProvider>>;
  const people: Record<string, Person> = {
    alice: { email: `Alice.${process.pid}@Example.com`, verified: true },
    stranger: { email: `stranger.${process.pid}@example.com`, verified: true },
    unverified: { email: `unverified.${process.pid}@example.com`, verified: false },
    outsider: { email: `outsider.${process.pid}@elsewhere.test`, verified: true },
    grace: { email: `Grace.${process.pid}@Example.com`, verified: true },
    revoked: { email: `revoked.${process.pid}@example.com`, verified: true },
    invitedOutsider: { email: `invited.${process.pid}@elsewhere.test`, verified: true },
    invitedUnverified: { email: `invited-unverified.${process.pid}@example.com`, verified: false },
  };

  before(async () => {
    provider = await startOidcProvider(people, () => [`${t.baseUrl}/api/v1/auth/oidc/callback`]);
    t = await startAccountsEngine({
      oidcIssuer: provider.issuer,
      oidcClientId: CLIENT_ID,
      oidcClientSecret: CLIENT_SECRET,
      oidcAllowedDomains: 'example.com',
      oidcLabel: 'Sign in with Acme',
    });
    await provider.configure();
    for (const id of ['alice', 'unverified', 'outsider']) {
      await t.parts.accounts.createUser({ email: people[id].email.toLowerCase(), name: id, workspaceId: t.workspace.id, role: 'member', password: PASSWORD });
    }
  });
  after(async () => {
    await t.stop();
    await provider.close();
  });

  test('GET /auth/oidc says it is enabled, with the label', async () => {
    const status = await t.api('GET', '/api/v1/auth/oidc', { key: null });
    assert.deepEqual(status.body, { enabled: true, label: 'Sign in with Acme' });
  });

  test('start redirects with code + PKCE + state + nonce and a signed, short-lived flow cookie', async () => {
    const response = await fetch(`${t.baseUrl}/api/v1/auth/oidc/start`, { redirect: 'manual' });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') as string);
    assert.equal(location.origin, provider.issuer);
    assert.equal(location.searchParams.get('response_type'), 'code');
    assert.equal(location.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(location.searchParams.get('code_challenge_method'), 'S256');
    for (const name of ['code_challenge', 'state', 'nonce']) assert.ok(location.searchParams.get(name), name);
    assert.equal(location.searchParams.get('redirect_uri'), `${t.baseUrl}/api/v1/auth/oidc/callback`);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith('mask_oidc='));
    assert.ok(cookie);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Lax/i);
    assert.match(cookie, /Max-Age=600/);
  });

  test('an existing account with the verified email is signed in and sent to the dashboard', async () => {
    const { location, jar } = await signInThroughProvider(t.baseUrl, 'alice');
    assert.equal(location, '/app/');
    const cookie = jar.get(new URL(t.baseUrl).origin, 'mask_session');
    assert.ok(cookie, 'a session cookie');
    const session = await t.api('GET', '/api/v1/auth/session', { key: null, headers: { cookie: `mask_session=${cookie}` } });
    assert.equal(session.status, 200, session.text);
    assert.equal(session.body.user.email, people.alice.email.toLowerCase());
  });

  test('no account for the email, an unverified email, a domain not allowed or a lost flow cookie: no session', async () => {
    for (const [login, expected] of [['stranger', 'no_account'], ['unverified', 'refused'], ['outsider', 'refused']] as const) {
      const { location, jar } = await signInThroughProvider(t.baseUrl, login);
      assert.equal(location, `/app/login?sso_error=${expected}`, login);
      assert.equal(jar.get(new URL(t.baseUrl).origin, 'mask_session'), undefined, login);
    }
    const lost = await signInThroughProvider(t.baseUrl, 'alice', { dropFlowCookie: true });
    assert.equal(lost.location, '/app/login?sso_error=refused');
    assert.equal(lost.jar.get(new URL(t.baseUrl).origin, 'mask_session'), undefined);
  });

  describe('invited people join through single sign-on', () => {
    const sessionOf = async (jar: Jar) => {
      const cookie = jar.get(new URL(t.baseUrl).origin, 'mask_session');
      assert.ok(cookie, 'a session cookie');
      const session = await t.api('GET', '/api/v1/auth/session', { key: null, headers: { cookie: `mask_session=${cookie}` } });
      assert.equal(session.status, 200, session.text);
      return session.body as { user: { id: string; email: string; name: string }; workspaces: Array<{ id: string; name: string; role: string }> };
    };
    const invite = async (email: string, role: string, key = t.adminKey) => {
      const invited = await t.api('POST', '/api/v1/invitations', { key, body: { email, role } });
      assert.equal(invited.status, 201, invited.text);
      return invited.body as { id: string };
    };
    const pending = async (key = t.adminKey) => ((await t.api('GET', '/api/v1/invitations', { key })).body.data as Array<{ id: string }>).map((i) => i.id);

    test('a person with a pending invitation and no account signs in: the account is made and joins with the invited role, once', async () => {
      const invitation = await invite(people.grace.email, 'viewer');
      const { location, jar } = await signInThroughProvider(t.baseUrl, 'grace');
      assert.equal(location, '/app/');
      const session = await sessionOf(jar);
      assert.equal(session.user.email, people.grace.email.toLowerCase());
      assert.equal(session.user.name, 'grace', 'named by the provider’s name claim');
      assert.deepEqual(session.workspaces, [{ id: t.workspace.id, name: t.workspace.name, role: 'viewer' }]);
      assert.ok(!(await pending()).includes(invitation.id), 'the invitation is used');
      const member = (await t.api('GET', `/api/v1/members?email=${encodeURIComponent(people.grace.email.toLowerCase())}`)).body.data;
      assert.equal(member.length, 1);
      assert.equal(member[0].role, 'viewer');
      const audit = await t.parts.db('audit_logs').where({ action: 'member.added', resource_id: member[0].id }).first();
      assert.deepEqual([audit.actor_type, audit.actor_user_id], ['user', session.user.id], 'audited as the person who joined');

      const again = await signInThroughProvider(t.baseUrl, 'grace');
      assert.equal(again.location, '/app/', 'the account now signs in like any other');
      assert.deepEqual((await sessionOf(again.jar)).workspaces.map((w) => w.role), ['viewer']);
      assert.equal((await t.api('GET', `/api/v1/members?email=${encodeURIComponent(people.grace.email.toLowerCase())}`)).body.data.length, 1);
    });

    test('an existing account invited to another workspace joins it with that role at its next single sign-on', async () => {
      const other = await t.createWorkspace('Second team');
      await invite(people.alice.email, 'admin', other.adminKey);
      const { jar } = await signInThroughProvider(t.baseUrl, 'alice');
      const roles = Object.fromEntries((await sessionOf(jar)).workspaces.map((w) => [w.id, w.role]));
      assert.deepEqual(roles, { [t.workspace.id]: 'member', [other.workspace.id]: 'admin' });
      assert.deepEqual(await pending(other.adminKey), []);
    });

    test('a revoked invitation, a domain not allowed or an unverified email: nobody joins, the invitations stay as they were', async () => {
      const revoked = await invite(people.revoked.email, 'admin');
      assert.equal((await t.api('DELETE', `/api/v1/invitations/${revoked.id}`)).status, 204);
      const outsider = await invite(people.invitedOutsider.email, 'admin');
      const unverified = await invite(people.invitedUnverified.email, 'admin');
      for (const [login, expected] of [['revoked', 'no_account'], ['invitedOutsider', 'refused'], ['invitedUnverified', 'refused']] as const) {
        const { location, jar } = await signInThroughProvider(t.baseUrl, login);
        assert.equal(location, `/app/login?sso_error=${expected}`, login);
        assert.equal(jar.get(new URL(t.baseUrl).origin, 'mask_session'), undefined, login);
      }
      const still = await pending();
      assert.ok(still.includes(outsider.id) && still.includes(unverified.id));
      for (const person of [people.revoked, people.invitedOutsider, people.invitedUnverified]) {
        assert.equal(await t.parts.db('users').where({ email: person.email.toLowerCase() }).first(), undefined, person.email);
      }
    });
  });
});
