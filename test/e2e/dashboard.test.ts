import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import jsQR from 'jsqr';
import type { Page, Request } from 'playwright-core';
import { PNG } from 'pngjs';
import { call, DashboardBrowser, dashboardEngine, DIST, heading, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import type { TestEngine } from '../support/engine';
import { DESKTOP_UA } from '../support/redirect-client';

const PASSWORD = 'correct horse battery staple';

/**
 * The dashboard's client and server together in a real Chromium, as a newcomer uses them: the first-start link, sign
 * out and in, a link created (after an inline validation error), edited, copied, its QR code downloaded and decoded,
 * redirects counted on Analytics, deletion with confirmation; CSRF, a viewer invited through the link, an idle
 * session ending, and a dashboard mounted elsewhere than /app. Every screen is checked with axe-core and
 * photographed at 390 and 1280 px in light and dark (into a temporary folder, printed).
 */
describe('the dashboard in Chromium', { skip: skipWithoutChromium }, () => {
  let t: TestEngine;
  let origin: string;
  let workspaceId: string;
  let browser: DashboardBrowser;
  let owner: Tab;
  const email = 'ada@example.com';

  before(async () => {
    ({ t, origin, workspace: { id: workspaceId } } = await dashboardEngine());
    browser = await DashboardBrowser.launch();
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const newPage = (at: string, base = origin) => browser.newPage(base, at);
  const screen = (page: Page, name: string) => browser.screen(page, name);

  let shortUrl: string;
  let short: string;

  test('a newcomer opens the setup link, creates the owner account, signs out and in again', async () => {
    const { token } = await t.parts.accounts.createSetupToken(workspaceId);
    owner = await newPage(`/app/setup?token=${token}`);
    await heading(owner, 'Create the owner account');
    await owner.getByLabel('Your name').waitFor();
    await screen(owner, 'setup');
    await owner.getByLabel('Your name').fill('Ada Lovelace');
    await owner.getByLabel('Email').fill(email);
    await owner.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await owner.getByLabel('Repeat the password').fill(PASSWORD);
    await owner.getByRole('button', { name: 'Create account and sign in' }).click();
    await heading(owner, 'Links');
    assert.equal(new URL(owner.url()).pathname, '/app/links');
    await owner.getByText('No links yet.').waitFor();
    await screen(owner, 'links-empty');

    await owner.getByRole('button', { name: 'Sign out' }).click();
    await heading(owner, 'Sign in');
    assert.equal(new URL(owner.url()).pathname, '/app/login');
    await owner.getByLabel('Email').fill(email);
    await owner.getByLabel('Password').fill('not the password');
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await owner.getByText('Email or password is incorrect.').waitFor();
    await screen(owner, 'sign-in-error');
    await owner.getByLabel('Password').fill(PASSWORD);
    await owner.getByRole('button', { name: 'Sign in' }).click();
    await heading(owner, 'Links');
    assert.equal(new URL(owner.url()).pathname, '/app/links');
    assert.deepEqual(owner.errors, []);
  });

  test('a link: a bad URL is refused at its field, then fixed; edited; its short URL copied', async () => {
    await owner.getByRole('button', { name: 'Create your first link' }).click();
    const dialog = owner.getByRole('dialog', { name: 'New link' });
    await dialog.getByLabel('Destination URL').fill('javascript:alert(1)');
    await dialog.getByLabel('Slug').fill('launch');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    const urlError = dialog.locator('#link-url-error');
    await urlError.waitFor();
    assert.ok((await urlError.textContent())?.length, 'the API message is shown at the URL field');
    assert.equal(await dialog.getByLabel('Destination URL').getAttribute('aria-invalid'), 'true');
    // The submit button is far below the URL field: the field with the error is brought into view and focused, by an
    // effect that runs after the error has painted (so waited for, up to 5 s, not read at once).
    await owner.waitForFunction(() => (globalThis as any).document.activeElement?.id === 'link-url', undefined, { timeout: 5_000 }).catch(() => undefined);
    assert.equal(await owner.evaluate('document.activeElement && document.activeElement.id'), 'link-url');
    const [errorBox, dialogBox] = [await urlError.boundingBox(), await dialog.boundingBox()];
    assert.ok(errorBox && dialogBox && errorBox.y >= dialogBox.y && errorBox.y + errorBox.height <= dialogBox.y + dialogBox.height, 'the error is in view');
    await screen(owner, 'link-form-error');
    await dialog.getByLabel('Destination URL').fill('https://example.com/launch');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.waitFor({ state: 'detached' });
    shortUrl = `${origin}/launch`;
    short = shortUrl.replace('http://', '');
    await owner.getByRole('status').getByText(`Created ${shortUrl}`).waitFor();
    await owner.getByRole('link', { name: short, exact: true }).waitFor();

    await owner.getByRole('button', { name: `Edit ${short}` }).click();
    const edit = owner.getByRole('dialog', { name: 'Edit link' });
    assert.equal(await edit.getByLabel('Slug').inputValue(), 'launch');
    await edit.getByLabel('Title').fill('Launch day');
    await edit.getByLabel('Tags').fill('news, spring');
    await screen(owner, 'link-form-edit');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await owner.getByText('Link saved').waitFor();
    const row = owner.getByRole('row').filter({ hasText: 'Launch day' });
    await row.getByRole('button', { name: 'spring' }).waitFor();
    const stored = (await t.parts.db('links').where({ slug: 'launch' }).first()) as { title: string };
    assert.equal(stored.title, 'Launch day');

    await row.getByRole('button', { name: `Copy ${short}` }).click();
    await row.getByText('Copied').waitFor();
    assert.equal(await owner.evaluate('navigator.clipboard.readText()'), shortUrl);
    await screen(owner, 'links');
    assert.deepEqual(owner.errors, []);
  });

  test('the QR code downloads as a PNG that decodes to the short URL', async () => {
    await owner.getByRole('button', { name: `QR code of ${short}` }).click();
    const dialog = owner.getByRole('dialog', { name: `QR code for ${short}` });
    await dialog.getByRole('img', { name: `QR code that opens ${shortUrl}` }).waitFor();
    await screen(owner, 'qr');
    const [download] = await Promise.all([owner.waitForEvent('download'), dialog.getByRole('button', { name: 'Download PNG' }).click()]);
    assert.equal(download.suggestedFilename(), 'launch-qr.png');
    const png = PNG.sync.read(fs.readFileSync(await download.path()));
    assert.equal(png.width, 512);
    const decoded = jsQR(Uint8ClampedArray.from(png.data), png.width, png.height);
    assert.equal(decoded?.data, shortUrl);
    await dialog.locator('.dialog-actions').getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.deepEqual(owner.errors, []);
  });

  test('redirects through the short URL are counted on the Analytics screens', async () => {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(shortUrl, { redirect: 'manual', headers: { 'user-agent': DESKTOP_UA, referer: 'https://news.example.org/post' } });
      assert.ok([301, 302, 307, 308].includes(response.status), `redirect ${response.status}`);
      assert.equal(response.headers.get('location'), 'https://example.com/launch');
    }
    await t.parts.clicks.flush();

    await owner.getByRole('link', { name: `Stats of ${short}` }).click();
    await heading(owner, `Analytics of ${short}`);
    const totals = owner.locator('.totals');
    await totals.getByText('3', { exact: true }).first().waitFor();
    await owner.locator('.chart canvas, .chart .u-over').first().waitFor();
    await owner.getByRole('region', { name: 'Referrers' }).or(owner.locator('#breakdown-referrer').locator('..')).getByText(/news\.example\.org/).first().waitFor();
    await screen(owner, 'analytics-link');
    const [csv] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Export CSV' }).click()]);
    assert.match(csv.suggestedFilename(), /\.csv$/);
    const rows = fs.readFileSync(await csv.path(), 'utf8').trim().split(/\r?\n/);
    assert.match(rows[0], /^id,timestamp,link_id,domain,slug,/);
    assert.equal(rows.filter((row) => row.includes(',launch,')).length, 3, 'the three clicks, exported');

    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Analytics' }).click();
    await heading(owner, 'Workspace analytics');
    await owner.locator('.totals').getByText('3', { exact: true }).first().waitFor();
    await screen(owner, 'analytics');

    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Links' }).click();
    await heading(owner, 'Links');
    await owner.getByRole('row').filter({ hasText: 'Launch day' }).getByRole('cell', { name: /^3/ }).waitFor();
    assert.deepEqual(owner.errors, []);
  });

  test('every built asset is served cacheable for good (hashed names), index.html never cached', async () => {
    const index = await fetch(`${origin}/app/links`);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(index.headers.get('content-security-policy') ?? '', /style-src 'self'/);
    for (const name of fs.readdirSync(path.join(DIST, 'assets'))) {
      const response = await fetch(`${origin}/app/assets/${name}`);
      assert.equal(response.status, 200, name);
      assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable', name);
    }
  });

  test('a second workspace: the switcher sends X-Mask-Workspace, and what is created lands there', async () => {
    const second = await t.parts.workspaces.create({ name: 'Beta' });
    const key = await t.createKey(['admin'], { workspaceId: second.id });
    const invited = await t.api('POST', '/api/v1/invitations', { key, body: { email, role: 'member' } });
    assert.equal(invited.status, 201, invited.text);
    const token = new URL(invited.body.url).pathname.split('/').pop();
    // An existing account accepts with its own password (the answer signs in again: a new session, a new CSRF token).
    const accepted = await call(owner, 'POST', `/api/v1/auth/invitations/${token}/accept`, { name: 'Ada Lovelace', password: PASSWORD }, false);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    // This tab still holds the replaced session's CSRF token: a write picks up the current one instead of failing.
    await owner.getByRole('button', { name: `Edit ${short}` }).click();
    const edit = owner.getByRole('dialog', { name: 'Edit link' });
    await edit.getByLabel('Notes').fill('Signed in again elsewhere');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    await owner.getByText('Link saved').first().waitFor();
    await owner.reload();
    await heading(owner, 'Links');
    const switcher = owner.getByLabel('Workspace');
    await switcher.selectOption({ label: 'Beta (member)' });
    await owner.getByText('No links yet.').waitFor();
    await screen(owner, 'links-second-workspace');
    await owner.getByRole('button', { name: 'Create your first link' }).click();
    const dialog = owner.getByRole('dialog', { name: 'New link' });
    await dialog.getByLabel('Destination URL').fill('https://example.com/beta');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await dialog.waitFor({ state: 'detached' });
    const created = (await t.parts.db('links').where({ url: 'https://example.com/beta' }).first()) as { workspace_id: string };
    assert.equal(created.workspace_id, second.id);
    await owner.reload();
    await heading(owner, 'Links');
    assert.equal(await switcher.inputValue(), second.id, 'the choice is remembered');
    await switcher.selectOption({ label: 'Acme (owner)' });
    await owner.getByRole('row').filter({ hasText: 'Launch day' }).waitFor();
    assert.deepEqual(owner.errors, []);
  });

  test('the account screen lists the sessions; "sign out everywhere else" ends the other one', async () => {
    const elsewhere = await newPage('/app/login');
    await elsewhere.getByLabel('Email').fill(email);
    await elsewhere.getByLabel('Password').fill(PASSWORD);
    await elsewhere.getByRole('button', { name: 'Sign in' }).click();
    await heading(elsewhere, 'Links');

    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await heading(owner, 'Account');
    const sessions = owner.getByRole('region', { name: 'Sessions' });
    await sessions.getByText('this device').waitFor();
    assert.equal(await sessions.getByRole('row').count(), 3, 'a header and two sessions');
    await screen(owner, 'account');
    await owner.getByRole('button', { name: 'Sign out everywhere else' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Sign out everywhere else?' });
    await dialog.getByRole('button', { name: /sign out/i }).click();
    await dialog.waitFor({ state: 'detached' });
    await owner.getByText('Signed out everywhere else').waitFor();
    assert.equal(await sessions.getByRole('row').count(), 2);

    await elsewhere.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
    await heading(elsewhere, 'Sign in');
    await elsewhere.getByText('Your session has ended. Please sign in again.').waitFor();
    await elsewhere.context().close();
    assert.deepEqual(owner.errors, []);
  });

  test('search narrows the list; a tag button filters by it', async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Links' }).click();
    await heading(owner, 'Links');
    await owner.getByRole('searchbox', { name: 'Search' }).fill('no such link');
    await owner.getByText('No links match these filters.').waitFor();
    await owner.getByRole('button', { name: 'Clear filters' }).click();
    const row = owner.getByRole('row').filter({ hasText: 'Launch day' });
    await row.getByRole('button', { name: 'spring' }).click();
    assert.equal(await owner.getByLabel('Tag', { exact: true }).inputValue(), 'spring');
    await row.waitFor();
    await owner.getByRole('button', { name: 'Clear filters' }).click();
    assert.deepEqual(owner.errors, []);
  });

  test('bulk: selected links get a tag, then are deleted together (through PATCH and DELETE /links/bulk)', async () => {
    for (const slug of ['bulk-one', 'bulk-two']) {
      assert.equal((await call(owner, 'POST', '/api/v1/links', { url: `https://example.com/${slug}`, slug })).status, 201);
    }
    await owner.reload();
    await heading(owner, 'Links');
    // The writes the client sends: one bulk call for the tag and one for the delete, not one per link.
    const writes: string[] = [];
    const recordWrite = (request: Request) => {
      if (request.method() !== 'GET') writes.push(`${request.method()} ${new URL(request.url()).pathname}`);
    };
    owner.on('request', recordWrite);
    for (const slug of ['bulk-one', 'bulk-two']) await owner.getByRole('checkbox', { name: `Select ${origin.replace('http://', '')}/${slug}` }).check();
    await owner.getByText('2 selected').waitFor();
    await owner.getByLabel('Tag to add to the selected links').fill('bulk');
    await owner.getByRole('button', { name: 'Add tag' }).click();
    await owner.getByText('Tagged 2 links “bulk”.').waitFor();
    const tagged = (await t.parts.db('link_tags').where({ tag: 'bulk' }).count({ n: '*' })) as { n: number | string }[];
    assert.equal(Number(tagged[0].n), 2);
    await owner.getByRole('button', { name: 'Delete selected' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Delete 2 links?' });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await owner.getByText('Deleted 2 links').waitFor();
    owner.off('request', recordWrite);
    assert.deepEqual(writes, ['PATCH /api/v1/links/bulk', 'DELETE /api/v1/links/bulk']);
    assert.equal(await owner.getByRole('row').filter({ hasText: 'bulk-' }).count(), 0);
    await owner.getByRole('row').filter({ hasText: 'Launch day' }).waitFor();
    assert.deepEqual(owner.errors, []);
  });

  test('CSRF: a write with the session cookie but without the token is refused', async () => {
    const refused = await call(owner, 'POST', '/api/v1/links', { url: 'https://example.com/csrf' }, false);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const allowed = await call(owner, 'POST', '/api/v1/links', { url: 'https://example.com/csrf', slug: 'csrf-ok' });
    assert.equal(allowed.status, 201, JSON.stringify(allowed.body));
    assert.equal((await call(owner, 'DELETE', `/api/v1/links/${allowed.body.id}`)).status, 200);
  });

  test('an invited viewer joins through the link, sees no write controls, and a write is refused', async () => {
    const invited = await call(owner, 'POST', '/api/v1/invitations', { email: 'grace@example.com', role: 'viewer' });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const url = new URL(invited.body.url);
    assert.equal(url.origin, origin);
    assert.match(url.pathname, /^\/app\/invite\/[A-Za-z0-9_-]{43}$/, 'the client routes /app/invite/<token>');

    const viewer = await newPage(url.pathname);
    await heading(viewer, 'Accept invitation');
    await viewer.getByText('Join Acme as viewer').waitFor();
    assert.equal(await viewer.getByLabel('Email').inputValue(), 'grace@example.com');
    await screen(viewer, 'invite');
    await viewer.getByLabel('Your name').fill('Grace Hopper');
    await viewer.getByLabel('Choose a password').fill(PASSWORD);
    await viewer.getByLabel('Repeat the password').fill(PASSWORD);
    await viewer.getByRole('button', { name: 'Join and sign in' }).click();
    await heading(viewer, 'Links');
    const row = viewer.getByRole('row').filter({ hasText: 'Launch day' });
    await row.waitFor();
    await viewer.getByText('Acme').first().waitFor();
    for (const name of ['New link', 'Create your first link', `Edit ${short}`, `Delete ${short}`]) {
      assert.equal(await viewer.getByRole('button', { name }).count(), 0, `no "${name}" for a viewer`);
    }
    assert.equal(await viewer.getByRole('checkbox').count(), 0, 'no bulk selection for a viewer');
    await row.getByRole('button', { name: `QR code of ${short}` }).waitFor();
    await screen(viewer, 'links-viewer');

    const linkId = ((await t.parts.db('links').where({ slug: 'launch' }).first()) as { id: string }).id;
    const write = await call(viewer, 'PATCH', `/api/v1/links/${linkId}`, { title: 'Hijacked' });
    assert.equal(write.status, 403);
    assert.match(write.body.error.message, /viewer/);
    assert.deepEqual(viewer.errors, []);
    await viewer.context().close();
  });

  test('deleting asks for confirmation; after it the short URL stops', async () => {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Links' }).click();
    await heading(owner, 'Links');
    await owner.getByRole('button', { name: `Delete ${short}` }).click();
    let dialog = owner.getByRole('dialog', { name: 'Delete this link?' });
    await dialog.waitFor();
    await screen(owner, 'delete-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await fetch(shortUrl, { redirect: 'manual', headers: { 'user-agent': DESKTOP_UA } })).status, 302);

    await owner.getByRole('button', { name: `Delete ${short}` }).click();
    dialog = owner.getByRole('dialog', { name: 'Delete this link?' });
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await owner.getByText('Link deleted').waitFor();
    await owner.getByText('No links yet.').waitFor();
    assert.equal((await fetch(shortUrl, { redirect: 'manual', headers: { 'user-agent': DESKTOP_UA } })).status, 404);
    assert.deepEqual(owner.errors, []);
  });

  test('a password reset link (mask users reset-password) sets a new password and signs in', async () => {
    const { token } = await t.parts.accounts.resetPassword(email);
    const page = await newPage(`/app/setup?token=${token}`);
    await heading(page, 'Set a new password');
    await screen(page, 'reset-password');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Your name').fill('Ada King');
    await page.getByLabel('Password', { exact: true }).fill(`${PASSWORD}!`);
    await page.getByLabel('Repeat the password').fill(`${PASSWORD}!`);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await heading(page, 'Links');
    await page.getByText('Ada King').waitFor();
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test('mounted at another path with a short idle time: deep links work, and an idle session ends at the sign-in screen', async () => {
    const other = await dashboardEngine({ dashboardPath: '/console', sessionIdle: 1500 });
    try {
      await other.t.parts.accounts.createUser({ email, name: 'Ada', workspaceId: other.workspace.id, role: 'owner', password: PASSWORD });
      const page = await newPage('/console/links/lnk_0/analytics', other.origin);
      await heading(page, 'Sign in');
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: /analytics/i }).waitFor();
      assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Links' }).getAttribute('href'), '/console/links');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Links' }).click();
      await heading(page, 'Links');
      assert.equal(new URL(page.url()).pathname, '/console/links');

      await page.waitForTimeout(2_000);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Account' }).click();
      await heading(page, 'Sign in');
      await page.getByText('Your session has ended. Please sign in again.').waitFor();
      await screen(page, 'session-ended');
      assert.deepEqual(page.errors, []);
      await page.context().close();
    } finally {
      await other.t.stop();
    }
  });
});
