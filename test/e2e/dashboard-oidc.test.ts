import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../support/engine';
import { call, DashboardBrowser, dashboardEngine, heading, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider, type Person } from '../support/oidc';

const LABEL = 'Sign in with Acme';

/**
 * Single sign-on in a real Chromium against a real OpenID provider on 127.0.0.1: the SSO button on the sign-in screen,
 * the provider's own login and consent pages, and back in the dashboard signed in; an email outside the allowed
 * domains comes back to the sign-in screen with a message instead.
 */
describe('the dashboard in Chromium: OIDC single sign-on', { skip: skipWithoutChromium }, () => {
  let t: TestEngine;
  let origin: string;
  let workspaceId: string;
  let browser: DashboardBrowser;
  let provider: Awaited<ReturnType<typeof startOidcProvider>>;
  const people: Record<string, Person> = {
    grace: { email: `grace.${process.pid}@example.com`, verified: true },
    outsider: { email: `outsider.${process.pid}@elsewhere.test`, verified: true },
  };

  before(async () => {
    provider = await startOidcProvider(people, () => [`${origin}/api/v1/auth/oidc/callback`]);
    ({ t, origin, workspace: { id: workspaceId } } = await dashboardEngine({
      oidcIssuer: provider.issuer,
      oidcClientId: OIDC_CLIENT_ID,
      oidcClientSecret: OIDC_CLIENT_SECRET,
      oidcAllowedDomains: 'example.com',
      oidcLabel: LABEL,
    }));
    await provider.configure();
    browser = await DashboardBrowser.launch();
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
    await provider?.close();
  });

  /** A fresh profile on the sign-in screen, through the SSO button and the provider's login (and consent) pages. */
  async function signInWithSso(login: string, screenName?: string): Promise<Tab> {
    const page = await browser.newPage(origin, '/app/login');
    // The provider's development pages import a web font; nothing here may leave the machine.
    await page.context().route((url) => url.hostname !== '127.0.0.1' && url.hostname !== 'localhost', (route) => route.abort());
    await heading(page, 'Sign in');
    const sso = page.getByRole('link', { name: LABEL });
    await sso.waitFor();
    if (screenName) await browser.screen(page, screenName);
    await sso.click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    const consent = page.getByRole('button', { name: 'Continue' });
    // First sign-in of this person to this client: the provider asks for consent, then hands back to the engine.
    await page.waitForURL((url) => url.origin === origin || url.pathname.startsWith('/interaction/'));
    if (new URL(page.url()).origin !== origin) {
      await consent.click();
      await page.waitForURL((url) => url.origin === origin);
    }
    return page;
  }

  test('an invited person signs in through the provider and lands on Links as the invited member', async () => {
    const adminKey = await t.createKey(['admin'], { workspaceId });
    const invited = await t.api('POST', '/api/v1/invitations', { key: adminKey, body: { email: people.grace.email, role: 'member' } });
    assert.equal(invited.status, 201, invited.text);

    const page = await signInWithSso('grace', 'sign-in-sso');
    await heading(page, 'Links');
    // The callback answers /app/; the client routes on to its first screen.
    assert.equal(new URL(page.url()).pathname, '/app/links');
    const session = await call(page, 'GET', '/api/v1/auth/session', undefined, false);
    assert.equal(session.status, 200);
    assert.equal(session.body.user.email, people.grace.email);
    assert.deepEqual(
      session.body.workspaces.map((w: { id: string; role: string }) => [w.id, w.role]),
      [[workspaceId, 'member']],
    );
    assert.deepEqual(page.errors, []);
  });

  test('an email outside MASK_OIDC_ALLOWED_DOMAINS is refused: back on the sign-in screen with a message, no session', async () => {
    const page = await signInWithSso('outsider');
    await heading(page, 'Sign in');
    assert.equal(new URL(page.url()).pathname, '/app/login');
    assert.equal(new URL(page.url()).searchParams.get('sso_error'), 'refused');
    await page.getByRole('alert').filter({ hasText: 'Single sign-on did not go through' }).waitFor();
    const session = await call(page, 'GET', '/api/v1/auth/session', undefined, false);
    assert.equal(session.status, 401);
    await browser.axe(page, 'sign-in-sso-refused');
    assert.deepEqual(page.errors, []);
  });
});
