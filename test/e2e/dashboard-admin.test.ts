import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../support/engine';
import { DashboardBrowser, dashboardEngine, heading, open, signIn, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { startReceiver, until, type Receiver } from '../support/webhook-receiver';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'ada@example.com';

/**
 * The admin screens in a real Chromium, each with its main path and a refusal: domains (DNS record, default, a 409 on
 * delete), API keys (presets, the secret once, used with fetch, rotated with grace, revoked), webhooks (a local
 * receiver, test event, attempt details, replay, a disabled endpoint re-enabled), team (invite, resend, revoke; a
 * viewer joins, sees no write controls, and is refused leaving), audit log (filters, readable diff), usage (per key
 * and endpoint) and settings (workspace, plan, password).
 */
describe('the dashboard in Chromium: admin screens', { skip: skipWithoutChromium }, () => {
  let t: TestEngine;
  let origin: string;
  let port: string;
  let browser: DashboardBrowser;
  let owner: Tab;
  let receiver: Receiver;
  let adminKey: string;
  const api = (method: string, path: string, body?: unknown, key = adminKey) => t.api(method, path, { key, body });

  before(async () => {
    let workspaceId: string;
    ({ t, origin, workspace: { id: workspaceId } } = await dashboardEngine({ webhookAllowedHosts: 'loopback', webhookPollInterval: '200ms', webhookRetrySchedule: '1s' }));
    port = new URL(origin).port;
    adminKey = await t.createKey(['admin'], { workspaceId });
    await t.parts.accounts.createUser({ email: EMAIL, name: 'Ada Lovelace', workspaceId, role: 'owner', password: PASSWORD });
    receiver = await startReceiver();
    browser = await DashboardBrowser.launch();
    owner = await browser.newPage(origin, '/app/login');
    await signIn(owner, EMAIL, PASSWORD);
  });

  after(async () => {
    await browser?.close();
    await receiver?.close();
    await t?.stop();
  });

  test('domains: added with its DNS record, made the default, and a delete refused with the API’s 409 message', async () => {
    await open(owner, 'Domains');
    // The workspace's own development domain (the test server) is listed already.
    await owner.getByRole('heading', { name: `localhost:${port}` }).waitFor();
    await owner.getByLabel('Host name').fill('not a host');
    await owner.getByRole('button', { name: 'Add domain' }).click();
    await owner.locator('#domain-hostname-error').waitFor();
    await browser.screen(owner, 'domains-error');
    await owner.getByLabel('Host name').fill('go.acme.test');
    await owner.getByRole('button', { name: 'Add domain' }).click();
    await owner.getByText('Added go.acme.test').waitFor();
    // The test server's own domain leads here; go.acme.test resolves nowhere, and the card says so.
    await owner.locator('li.card').filter({ hasText: `localhost:${port}` }).getByText('Verified', { exact: true }).waitFor();
    const card = owner.locator('li.card').filter({ hasText: 'go.acme.test' });
    await card.getByText('Not verified').waitFor();
    await card.getByText(/did not answer/).waitFor();
    const record = owner.getByRole('region', { name: 'DNS record for go.acme.test' });
    await record.getByRole('cell', { name: 'CNAME', exact: true }).waitFor();
    await record.getByRole('button', { name: 'Copy CNAME value for go.acme.test' }).click();
    assert.equal(await owner.evaluate('navigator.clipboard.readText()'), 'localhost');
    await owner.getByRole('button', { name: 'Set as default go.acme.test' }).click();
    await owner.getByText('go.acme.test is now the default domain').waitFor();
    assert.equal((await api('GET', '/api/v1/me')).body.workspace.default_domain, 'go.acme.test');
    await owner.getByText('default', { exact: true }).waitFor();
    await browser.screen(owner, 'domains');

    assert.equal((await api('POST', '/api/v1/links', { url: 'https://example.com/on-domain', slug: 'on-domain' })).body.domain, 'go.acme.test');
    await owner.getByRole('button', { name: 'Delete go.acme.test' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Delete go.acme.test?' });
    await dialog.getByRole('button', { name: 'Delete domain' }).click();
    const domain = (await api('GET', '/api/v1/domains')).body.data.find((d: { hostname: string }) => d.hostname === 'go.acme.test');
    const refusal = await api('DELETE', `/api/v1/domains/${domain.id}`);
    assert.equal(refusal.status, 409);
    await dialog.getByRole('alert').getByText(refusal.body.error.message).waitFor();
    await browser.screen(owner, 'domain-delete-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.deepEqual(owner.errors, []);
  });

  let rotatedSecret: string;

  test('API keys: a preset key, its secret shown once and used, rotated with a grace period, revoked; a test key; an empty name refused', async () => {
    await open(owner, 'API keys');
    await owner.getByRole('button', { name: 'New live key' }).click();
    let dialog = owner.getByRole('dialog', { name: 'New live API key' });
    await dialog.getByRole('button', { name: 'Read-only analytics' }).click();
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await dialog.locator('#key-name-error').waitFor();
    await browser.screen(owner, 'key-form-error');
    await dialog.getByLabel('Name').fill('Reporting');
    await dialog.getByRole('button', { name: 'Links automation' }).click();
    assert.equal(await dialog.getByRole('checkbox', { name: 'webhooks:write' }).isChecked(), true);
    assert.equal(await dialog.getByRole('checkbox', { name: 'admin' }).isChecked(), false);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = owner.getByRole('dialog', { name: 'Your new API key' });
    await shown.getByText('it is shown only once').waitFor();
    const secret = (await shown.getByLabel('API key').textContent()) ?? '';
    assert.match(secret, /^mk_live_/);
    await shown.getByRole('button', { name: 'Copy API key' }).click();
    assert.equal(await owner.evaluate('navigator.clipboard.readText()'), secret);
    await browser.screen(owner, 'key-secret');
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    // Used as a newcomer would with curl.
    const used = await fetch(`${origin}/api/v1/links`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal(used.status, 200);
    await t.parts.keys.flushLastUsed();
    await owner.reload();
    await heading(owner, 'API keys');
    const row = owner.getByRole('row').filter({ hasText: 'Reporting' });
    await row.getByText('Active').waitFor();
    assert.equal(await row.getByRole('cell', { name: 'Never', exact: true }).count(), 1, 'last used is shown (only the expiry says never)');
    await row.getByRole('button', { name: 'Rotate Reporting' }).click();
    dialog = owner.getByRole('dialog', { name: 'Rotate Reporting' });
    await dialog.getByLabel('Grace period').selectOption({ label: '1 hour' });
    await dialog.getByRole('button', { name: 'Rotate key' }).click();
    const replacement = owner.getByRole('dialog', { name: 'The replacement key' });
    rotatedSecret = (await replacement.getByLabel('API key').textContent()) ?? '';
    assert.notEqual(rotatedSecret, secret);
    await replacement.getByRole('button', { name: 'I have stored it' }).click();
    await owner.getByRole('row').filter({ hasText: 'Rotated, in grace period' }).waitFor();
    assert.equal((await fetch(`${origin}/api/v1/links`, { headers: { authorization: `Bearer ${secret}` } })).status, 200, 'the old key works in its grace period');
    assert.equal((await fetch(`${origin}/api/v1/links`, { headers: { authorization: `Bearer ${rotatedSecret}` } })).status, 200);
    await browser.screen(owner, 'keys');

    const active = owner.getByRole('row').filter({ hasText: 'Reporting' }).filter({ hasText: 'Active' });
    await active.getByRole('button', { name: 'Revoke Reporting' }).click();
    dialog = owner.getByRole('dialog', { name: 'Revoke Reporting?' });
    await dialog.getByRole('button', { name: 'Revoke key' }).click();
    await owner.getByText('Revoked Reporting').waitFor();
    assert.equal((await fetch(`${origin}/api/v1/links`, { headers: { authorization: `Bearer ${rotatedSecret}` } })).status, 401);

    await owner.getByText('Test keys').click();
    await owner.getByText('No test keys.').waitFor();
    await owner.getByRole('button', { name: 'New test key' }).click();
    dialog = owner.getByRole('dialog', { name: 'New test API key' });
    await dialog.getByLabel('Name').fill('CI');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const testSecret = (await owner.getByRole('dialog', { name: 'Your new API key' }).getByLabel('API key').textContent()) ?? '';
    assert.match(testSecret, /^mk_test_/);
    await owner.getByRole('button', { name: 'I have stored it' }).click();
    await owner.getByRole('row').filter({ hasText: 'CI' }).waitFor();
    assert.deepEqual(owner.errors, []);
  });

  test('webhooks: an endpoint to a local receiver, its secret once, a test event, the attempt, a replay; disabled and re-enabled; a bad URL refused', async () => {
    await open(owner, 'Webhooks');
    await owner.getByRole('button', { name: 'New endpoint' }).click();
    const form = owner.getByRole('dialog', { name: 'New endpoint' });
    await form.getByLabel('Endpoint URL').fill('ftp://example.com/hook');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    await form.locator('#webhook-url-error').waitFor();
    await browser.screen(owner, 'webhook-form-error');
    await form.getByLabel('Endpoint URL').fill(`${receiver.url}/hook`);
    await form.getByLabel('Description').fill('Local receiver');
    await form.getByRole('checkbox', { name: 'link.deleted' }).check();
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    const secretDialog = owner.getByRole('dialog', { name: 'Signing secret of the new endpoint' });
    const shownOnce = (await secretDialog.getByLabel('signing secret').textContent()) ?? '';
    assert.match(shownOnce, /^whsec_/);
    await secretDialog.getByRole('button', { name: 'I have stored it' }).click();
    const endpoint = (await api('GET', '/api/v1/webhooks')).body.data[0];
    assert.deepEqual(endpoint.events, ['link.created', 'link.deleted']);

    await owner.getByRole('button', { name: `Deliveries of ${receiver.url}/hook` }).click();
    await owner.getByText('No deliveries match.').waitFor();
    await owner.getByLabel('Test event type').selectOption('link.deleted');
    await owner.getByRole('button', { name: 'Send test event' }).click();
    await until(() => receiver.received.length >= 1, 'the test delivery');
    const log = owner.getByRole('region', { name: `Deliveries of ${receiver.url}/hook` });
    await log.getByRole('button', { name: /succeeded link\.deleted test/ }).click();
    await log.getByLabel('Request body').getByText(/"type": "link.deleted"/).waitFor();
    await log.getByRole('definition').filter({ hasText: /^200$/ }).waitFor();
    await browser.screen(owner, 'webhook-attempt');
    await log.getByRole('button', { name: 'Replay' }).click();
    await owner.getByText('Replay queued').waitFor();
    await until(() => receiver.received.length >= 2, 'the replay');
    assert.equal(receiver.received[1].headers['webhook-id'], receiver.received[0].headers['webhook-id'], 'a replay is the same message');
    await log.getByRole('button', { name: /replay/ }).first().waitFor();
    await log.getByLabel('Status').selectOption('failed');
    await log.getByText('No deliveries match.').waitFor();
    await log.getByLabel('Status').selectOption('');
    // Event and time are filtered by the API (event_type, created_after).
    await log.getByLabel('Event', { exact: true }).selectOption('link.created');
    await log.getByText('No deliveries match.').waitFor();
    await log.getByLabel('Event', { exact: true }).selectOption('link.deleted');
    await log.getByLabel('Time', { exact: true }).selectOption('1h');
    await log.getByRole('button', { name: /succeeded link\.deleted test/ }).waitFor();
    await log.getByLabel('Event', { exact: true }).selectOption('');
    await log.getByLabel('Time', { exact: true }).selectOption('all');

    assert.equal((await api('PATCH', `/api/v1/webhooks/${endpoint.id}`, { enabled: false })).status, 200);
    await owner.reload();
    await heading(owner, 'Webhooks');
    await owner.getByText(/because it was disabled by hand/).waitFor();
    await browser.screen(owner, 'webhooks-disabled');
    await owner.getByRole('button', { name: 'Enable', exact: true }).click();
    await owner.getByText('Endpoint enabled').waitFor();
    assert.equal((await api('GET', `/api/v1/webhooks/${endpoint.id}`)).body.enabled, true);

    await owner.getByRole('button', { name: `Reveal secret of ${receiver.url}/hook` }).click();
    const revealed = owner.getByRole('dialog', { name: 'Signing secret' });
    const first = (await revealed.getByLabel('signing secret').textContent()) ?? '';
    assert.equal(first, shownOnce, 'the secret it was created with');
    await revealed.getByRole('button', { name: 'Done' }).click();
    await owner.getByRole('button', { name: `Rotate secret of ${receiver.url}/hook` }).click();
    await owner.getByRole('dialog', { name: 'Rotate the signing secret?' }).getByRole('button', { name: 'Rotate secret' }).click();
    const rotated = owner.getByRole('dialog', { name: 'New signing secret' });
    const second = (await rotated.getByLabel('signing secret').textContent()) ?? '';
    assert.match(second, /^whsec_/);
    assert.notEqual(second, first);
    await rotated.getByRole('button', { name: 'I have stored it' }).click();
    assert.ok((await api('GET', `/api/v1/webhooks/${endpoint.id}`)).body.previous_secret_expires_at, 'the old secret signs for a grace period');
    await browser.screen(owner, 'webhooks');
    assert.deepEqual(owner.errors, []);
  });

  let viewer: Tab;

  test('team: an invitation resent and another revoked; the viewer joins and sees no write controls; the only owner’s leaving is refused with the API’s message', async () => {
    await open(owner, 'Team');
    await owner.getByRole('region', { name: 'Members' }).getByText('you').waitFor();
    await owner.getByLabel('Email').fill('not an email');
    await owner.getByRole('button', { name: 'Invite' }).click();
    await owner.locator('#invite-email-error').waitFor();
    await owner.getByLabel('Email').fill('grace@example.com');
    await owner.getByLabel('Role').selectOption('viewer');
    await owner.getByRole('button', { name: 'Invite' }).click();
    await owner.getByText(/Invitation for grace@example.com ready/).waitFor();
    await owner.getByLabel('Email').fill('alan@example.com');
    await owner.getByRole('button', { name: 'Invite' }).click();
    await owner.getByText(/Invitation for alan@example.com ready/).waitFor();
    const pending = owner.getByRole('region', { name: 'Pending invitations' });
    await pending.getByRole('row').filter({ hasText: 'alan@example.com' }).waitFor();
    await pending.getByRole('button', { name: 'Revoke invitation of alan@example.com' }).click();
    await owner.getByRole('dialog', { name: 'Revoke the invitation of alan@example.com?' }).getByRole('button', { name: 'Revoke invitation' }).click();
    await owner.getByText('Invitation revoked').waitFor();
    await pending.getByRole('row').filter({ hasText: 'alan@example.com' }).waitFor({ state: 'detached' });

    const before = (await api('GET', '/api/v1/invitations')).body.data;
    const firstUrl = (await owner.locator('.notice .secret-value').textContent()) ?? '';
    await pending.getByRole('button', { name: 'Resend to grace@example.com' }).click();
    await owner.getByText('A new invitation link for grace@example.com is ready').waitFor();
    await until(async () => ((await owner.locator('.notice .secret-value').textContent()) ?? firstUrl) !== firstUrl, 'the new link');
    const url = (await owner.locator('.notice .secret-value').textContent()) ?? '';
    assert.match(url, /\/app\/invite\/[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(
      (await api('GET', '/api/v1/invitations')).body.data.map((i: { id: string }) => i.id),
      before.map((i: { id: string }) => i.id),
      'the same invitation, resent',
    );
    await browser.screen(owner, 'team');

    viewer = await browser.newPage(origin, new URL(url).pathname);
    await heading(viewer, 'Accept invitation');
    await viewer.getByLabel('Your name').fill('Grace Hopper');
    await viewer.getByLabel('Choose a password').fill(PASSWORD);
    await viewer.getByLabel('Repeat the password').fill(PASSWORD);
    await viewer.getByRole('button', { name: 'Join and sign in' }).click();
    await heading(viewer, 'Links');
    const nav = viewer.getByRole('navigation', { name: 'Main' });
    for (const admin of ['Domains', 'API keys', 'Audit log', 'Usage']) assert.equal(await nav.getByRole('link', { name: admin }).count(), 0, `no ${admin} for a viewer`);
    await open(viewer, 'Team');
    await viewer.getByRole('region', { name: 'Members' }).getByText('grace@example.com').waitFor();
    assert.equal(await viewer.getByRole('button', { name: /^Remove|^Make owner|^Invite/ }).count(), 0);
    assert.equal(await viewer.getByRole('combobox').count(), 0, 'no role pickers');
    await browser.screen(viewer, 'team-viewer');
    // The only owner cannot leave: the API's 409 is shown in the dialog.
    await owner.getByRole('button', { name: 'Leave workspace' }).click();
    const leave = owner.getByRole('dialog', { name: 'Leave this workspace?' });
    await leave.getByRole('button', { name: 'Leave workspace' }).click();
    await leave.getByRole('alert').getByText(/only owner of this workspace/).waitFor();
    await leave.getByRole('button', { name: 'Cancel' }).click();

    await open(viewer, 'Webhooks');
    await viewer.getByRole('heading', { name: `${receiver.url}/hook` }).waitFor();
    assert.equal(await viewer.getByRole('button', { name: /^New endpoint|^Edit|^Delete|^Reveal/ }).count(), 0);
    await open(viewer, 'Bio pages');
    assert.equal(await viewer.getByRole('link', { name: 'New page' }).count(), 0);
    // A screen the role cannot read, opened by address, shows the API's refusal.
    await viewer.goto(`${origin}/app/usage`);
    await heading(viewer, 'Usage');
    await viewer.getByRole('alert').getByText(/Your role \(viewer\) does not allow this/).waitFor();
    await browser.screen(viewer, 'usage-viewer-refused');
    assert.deepEqual(viewer.errors, []);

    // The owner makes Grace an admin from the members table.
    await owner.reload();
    await heading(owner, 'Team');
    await owner.getByLabel('Role of grace@example.com').selectOption('admin');
    await owner.getByText('Grace Hopper is now admin').waitFor();
    assert.deepEqual(owner.errors, []);
  });

  test('audit log: filtered by action and resource type, the before/after diff readable; a bad filter shown at its field', async () => {
    await open(owner, 'Audit log');
    await owner.locator('.audit-entry').first().waitFor();
    await owner.getByLabel('Action').fill('key.*');
    await owner.getByRole('button', { name: 'Apply' }).click();
    const entries = owner.locator('.audit-entry');
    // The filtered list replaces the whole one: wait until it has come.
    await until(async () => (await entries.count()) > 0 && (await entries.filter({ hasNotText: /key\./ }).count()) === 0, 'only key actions');
    await entries.filter({ hasText: 'key.rotated' }).first().waitFor();
    await entries.filter({ hasText: 'key.created' }).first().getByText(/^By user usr_/).waitFor();

    await owner.getByLabel('Action').fill('member.updated');
    await owner.getByRole('button', { name: 'Apply' }).click();
    const entry = entries.filter({ hasText: 'member.updated' }).first();
    await entry.getByRole('button', { name: /Show \d+ change/ }).click();
    const diff = entry.getByRole('region', { name: 'Changes of member.updated' });
    const roleRow = diff.getByRole('row').filter({ hasText: 'role' });
    assert.equal(await roleRow.locator('del').textContent(), 'viewer');
    assert.equal(await roleRow.locator('ins').textContent(), 'admin');
    await browser.screen(owner, 'audit');

    await owner.getByLabel('Resource id').fill('not-an-id');
    await owner.getByRole('button', { name: 'Apply' }).click();
    await owner.locator('#audit-resource_id-error').waitFor();
    await browser.screen(owner, 'audit-error');
    await owner.getByRole('button', { name: 'Reset' }).click();
    assert.deepEqual(owner.errors, []);
  });

  test('usage: requests, errors and 429s per key and per endpoint, with p50/p95', async () => {
    for (let i = 0; i < 3; i++) await api('GET', '/api/v1/links');
    await api('GET', '/api/v1/links/lnk_00000000000000000000000000');
    await t.parts.usage.flush();
    await open(owner, 'Usage');
    const keys = owner.getByRole('region', { name: 'Usage by key' });
    await until(async () => {
      await owner.getByLabel('Range').selectOption('1h');
      await owner.getByLabel('Range').selectOption('24h');
      return (await keys.getByRole('row').count()) > 1;
    }, 'usage rows');
    await owner.getByRole('region', { name: 'Usage by endpoint' }).getByText('GET /api/v1/links', { exact: true }).waitFor();
    await owner.getByText('p95 latency').waitFor();
    await owner.locator('.chart canvas, .chart .u-over').first().waitFor();
    await browser.screen(owner, 'usage');
    assert.deepEqual(owner.errors, []);
  });

  test('settings: the workspace renamed, the plan read-only with current use; a wrong current password refused, then changed', async () => {
    await open(owner, 'Settings');
    await owner.getByRole('heading', { name: /^Plan: / }).waitFor();
    await owner.getByText('1 (no limit)').waitFor();
    await owner.getByLabel('Name', { exact: true }).fill('Acme Labs');
    await owner.getByRole('button', { name: 'Save workspace' }).click();
    await owner.getByText('Workspace saved').waitFor();
    assert.equal((await api('GET', '/api/v1/workspace')).body.name, 'Acme Labs');

    await owner.getByLabel('Current password').fill('not my password');
    await owner.getByLabel('New password', { exact: true }).fill(`${PASSWORD}!`);
    await owner.getByLabel('Repeat the new password').fill(`${PASSWORD}!`);
    await owner.getByRole('button', { name: 'Change password' }).click();
    await owner.locator('#pw-current-error').getByText('Is not your current password').waitFor();
    await browser.screen(owner, 'settings-error');
    await owner.getByLabel('Current password').fill(PASSWORD);
    await owner.getByRole('button', { name: 'Change password' }).click();
    await owner.getByText('Password changed; your other sessions were signed out').waitFor();
    await browser.screen(owner, 'settings');
    const fresh = await browser.newPage(origin, '/app/login');
    await signIn(fresh, EMAIL, `${PASSWORD}!`);
    assert.deepEqual(owner.errors, []);
  });

  test('API keys: allowed IPs, each bad entry refused at its line; a request from another address refused', async () => {
    await open(owner, 'API keys');
    await owner.getByRole('button', { name: 'New live key' }).click();
    const dialog = owner.getByRole('dialog', { name: 'New live API key' });
    await dialog.getByLabel('Name').fill('Office only');
    await dialog.getByLabel('Allowed IPs').fill('127.0.0.1\n10.0.0.0/33\nnot-an-ip');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const problems = dialog.locator('#key-ips-error');
    await problems.getByText(/^Line 2: .*10\.0\.0\.0\/33/).waitFor();
    await problems.getByText(/^Line 3: .*not-an-ip/).waitFor();
    assert.equal(await problems.getByText(/^Line 1:/).count(), 0);
    await browser.screen(owner, 'key-ips-error');
    await dialog.getByLabel('Allowed IPs').fill('127.0.0.1\n::1');
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const shown = owner.getByRole('dialog', { name: 'Your new API key' });
    const secret = (await shown.getByLabel('API key').textContent()) ?? '';
    await shown.getByRole('button', { name: 'I have stored it' }).click();
    const use = () => fetch(`${origin}/api/v1/links`, { headers: { authorization: `Bearer ${secret}` } });
    assert.equal((await use()).status, 200);

    const row = owner.getByRole('row').filter({ hasText: 'Office only' });
    await row.getByText('127.0.0.1, ::1').waitFor();
    await row.getByRole('button', { name: 'IPs allowed for Office only' }).click();
    const edit = owner.getByRole('dialog', { name: 'Allowed IPs of Office only' });
    await edit.getByLabel('Allowed IPs').fill('203.0.113.7');
    await edit.getByRole('button', { name: 'Save allowed IPs' }).click();
    await owner.getByText('Allowed IPs of Office only saved').waitFor();
    const refused = await use();
    assert.equal(refused.status, 403);
    assert.deepEqual(owner.errors, []);
  });

  test('team: a member leaves the workspace on their own and is signed out', async () => {
    await t.parts.accounts.createUser({ email: 'lin@example.com', name: 'Lin', workspaceId: (await api('GET', '/api/v1/workspace')).body.id, role: 'member', password: PASSWORD });
    const member = await browser.newPage(origin, '/app/login');
    await signIn(member, 'lin@example.com', PASSWORD);
    await open(member, 'Team');
    await member.getByRole('button', { name: 'Leave workspace' }).click();
    await member.getByRole('dialog', { name: 'Leave this workspace?' }).getByRole('button', { name: 'Leave workspace' }).click();
    await heading(member, 'Sign in');
    assert.equal((await api('GET', '/api/v1/members?email=lin@example.com')).body.data.length, 0);
    const audit = (await api('GET', '/api/v1/audit-logs?action=member.left')).body.data;
    assert.equal(audit.length, 1);
    assert.deepEqual(member.errors, []);
  });

  test('team: the owner hands the workspace to Grace and becomes an admin', async () => {
    await open(owner, 'Team');
    await owner.getByRole('button', { name: 'Make owner grace@example.com' }).click();
    await owner.getByRole('dialog', { name: 'Make grace@example.com the owner?' }).getByRole('button', { name: 'Transfer ownership' }).click();
    await heading(owner, 'Team');
    await owner.locator('.workspace-name').getByText('(admin)').waitFor();
    const roles = Object.fromEntries((await api('GET', '/api/v1/members')).body.data.map((m: { email: string; role: string }) => [m.email, m.role]));
    assert.deepEqual([roles['grace@example.com'], roles[EMAIL]], ['owner', 'admin']);
    assert.equal(await owner.getByRole('button', { name: /^Make owner/ }).count(), 0, 'only the owner hands ownership on');
    assert.deepEqual(owner.errors, []);
  });
});
