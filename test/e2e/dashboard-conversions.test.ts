import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { heading, open, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { dashboardTeam, type DashboardTeam } from '../support/dashboard-team';


/**
 * Conversion settings and pixels in a real Chromium: bad origins refused per line, the settings saved, the publishable
 * key created and rotated; a pixel refused for a malformed id, created, attached to a link in the link form and
 * deleted; a viewer sees pixels only, read-only.
 */
describe('the dashboard in Chromium: conversion settings and pixels', { skip: skipWithoutChromium }, () => {
  let team: DashboardTeam;
  let owner: Tab;
  const api = (method: string, path: string, body?: unknown) => team.api(method, path, body);

  before(async () => {
    team = await dashboardTeam();
    ({ owner } = team);
    await api('POST', '/api/v1/links', { url: 'https://example.com/shop', slug: 'shop' });
  });

  after(() => team?.close());

  test('settings: a bad origin refused at its line, then saved; the publishable key created and rotated', async () => {
    await open(owner, 'Conversions', 'Conversions and pixels');
    await owner.getByLabel('Attribution window (days)').fill('30');
    await owner.getByLabel('Allowed origins').fill('https://shop.example.com\nshop.example.com/cart');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.locator('#allowed-origins-error').getByText(/^Line 2: Must be an origin/).waitFor();
    await team.browser.screen(owner, 'conversions-error');
    assert.deepEqual((await api('GET', '/api/v1/conversions/settings')).body.allowed_origins, [], 'nothing saved');
    await owner.getByLabel('Allowed origins').fill('https://shop.example.com');
    await owner.getByLabel('Click id parameter').fill('cid');
    await owner.getByRole('button', { name: 'Save settings' }).click();
    await owner.getByText('Conversion settings saved').waitFor();
    let settings = (await api('GET', '/api/v1/conversions/settings')).body;
    assert.deepEqual([settings.allowed_origins, settings.attribution_window_days, settings.click_id_param], [['https://shop.example.com'], 30, 'cid']);

    await owner.getByText('No publishable key yet.').waitFor();
    await owner.getByRole('button', { name: 'Create publishable key' }).click();
    await owner.getByText('Publishable key created').waitFor();
    const first = (await owner.getByLabel('Publishable key').textContent()) ?? '';
    assert.match(first, /^mk_pub_/);
    await owner.getByRole('button', { name: 'Copy publishable key' }).click();
    assert.equal(await owner.evaluate('navigator.clipboard.readText()'), first);
    await owner.getByRole('button', { name: 'Rotate publishable key' }).click();
    await owner.getByText('Publishable key rotated').waitFor();
    await owner.getByText('A new key: replace the old one in your pages now.').waitFor();
    settings = (await api('GET', '/api/v1/conversions/settings')).body;
    assert.notEqual(settings.publishable_key, first);
    assert.equal(await owner.getByLabel('Publishable key').textContent(), settings.publishable_key);
    await team.browser.screen(owner, 'conversions');
    assert.deepEqual(owner.errors, []);
  });

  test('pixels: a malformed id refused, one created, attached to a link in the link form, then deleted', async () => {
    await owner.getByLabel('Pixel name').fill('Meta main');
    await owner.getByLabel('Pixel id').fill('not-a-number');
    await owner.getByRole('button', { name: 'Add pixel' }).click();
    await owner.locator('#pixel-value-error').getByText(/Must be a meta pixel id/).waitFor();
    await owner.getByLabel('Pixel id').fill('1234567890');
    await owner.getByRole('button', { name: 'Add pixel' }).click();
    await owner.getByText('Pixel Meta main added').waitFor();
    await owner.getByRole('region', { name: 'Pixels' }).getByText('1234567890').waitFor();
    const [pixel] = (await api('GET', '/api/v1/pixels')).body.data;

    await open(owner, 'Links');
    await owner.getByRole('button', { name: /^Edit .*shop$/ }).click();
    const dialog = owner.getByRole('dialog', { name: 'Edit link' });
    await dialog.getByRole('checkbox', { name: /Meta main/ }).check();
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await owner.getByText('Link saved').waitFor();
    const link = (await api('GET', '/api/v1/links')).body.data[0];
    assert.deepEqual(link.pixel_ids, [pixel.id]);

    await open(owner, 'Conversions', 'Conversions and pixels');
    await owner.getByRole('button', { name: 'Delete pixel Meta main' }).click();
    await owner.getByRole('dialog', { name: 'Delete pixel Meta main?' }).getByRole('button', { name: 'Delete pixel' }).click();
    await owner.getByText('Pixel Meta main deleted').waitFor();
    assert.deepEqual((await api('GET', '/api/v1/pixels')).body.data, []);
    assert.deepEqual(owner.errors, []);
  });

  test('a viewer sees the pixels without settings or write controls', async () => {
    await api('POST', '/api/v1/pixels', { name: 'Ads pixel', provider: 'tiktok', pixel_id: 'C4ABCDEFGHIJ1234567' });
    const viewer = await team.viewer();
    await open(viewer, 'Conversions', 'Conversions and pixels');
    await viewer.getByRole('region', { name: 'Pixels' }).getByText('Ads pixel').waitFor();
    assert.equal(await viewer.getByRole('heading', { name: 'Conversion tracking' }).count(), 0);
    for (const name of ['Add pixel', /^Delete/, 'Save settings']) assert.equal(await viewer.getByRole('button', { name }).count(), 0, `no "${name}" for a viewer`);
    await team.browser.screen(viewer, 'conversions-viewer');
    await heading(viewer, 'Conversions and pixels');
    assert.deepEqual(viewer.errors, []);
  });
});
