import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';
import { visit } from '../../support/redirect-client';

describe('Folders, campaigns, UTM templates and pixels', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine({ pixelScriptHosts: 'pixels.example.net' });
  });
  after(async () => {
    await t.stop();
  });

  const create = async (path: string, body: unknown, key?: string) => {
    const response = await t.api('POST', `/api/v1/${path}`, { body, key });
    assert.equal(response.status, 201, response.text);
    return response.body;
  };

  test('folders nest one level; links filter and move by folder; a non-empty folder is kept unless its links move', async () => {
    const top = await create('folders', { name: 'Spring' });
    const sub = await create('folders', { name: 'Emails', parent_id: top.id });
    assert.equal(sub.parent_id, top.id);
    const subfolders = await t.api('GET', `/api/v1/folders?parent_id=${top.id}`);
    assert.equal(subfolders.status, 200, subfolders.text);
    assert.deepEqual(subfolders.body.data.map((f: { id: string }) => f.id), [sub.id]);
    assertValidation(await t.api('POST', '/api/v1/folders', { body: { name: 'Too deep', parent_id: sub.id } }), ['parent_id']);
    assertValidation(await t.api('PATCH', `/api/v1/folders/${top.id}`, { body: { parent_id: sub.id } }), ['parent_id']);
    assertValidation(await t.api('POST', '/api/v1/folders', { body: { name: '' } }), ['name']);

    const inFolder = await create('links', { url: 'https://example.com/a', folder_id: sub.id });
    const loose = await create('links', { url: 'https://example.com/b' });
    assert.equal(inFolder.folder_id, sub.id);
    assertValidation(await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/c', folder_id: 'fld_00000000000000000000000000' } }), ['folder_id']);

    const moved = await t.api('POST', '/api/v1/folders/move-links', { body: { link_ids: [loose.id], folder_id: sub.id } });
    assert.equal(moved.status, 200, moved.text);
    assert.deepEqual(moved.body.moved, [loose.id]);
    const listed = await t.api('GET', `/api/v1/links?folder_id=${sub.id}`);
    assert.deepEqual(listed.body.data.map((l: { id: string }) => l.id).sort(), [inFolder.id, loose.id].sort());
    const unknownLink = await t.api('POST', '/api/v1/folders/move-links', { body: { link_ids: [loose.id, 'lnk_00000000000000000000000000'], folder_id: null } });
    assertValidation(unknownLink, ['link_ids.1']);
    assert.equal((await t.api('GET', `/api/v1/links/${loose.id}`)).body.folder_id, sub.id, 'nothing moved');

    const refused = await t.api('DELETE', `/api/v1/folders/${sub.id}`);
    assert.equal(refused.status, 409);
    assert.equal((await t.api('DELETE', `/api/v1/folders/${top.id}`)).status, 409, 'it has a subfolder');
    const deleted = await t.api('DELETE', `/api/v1/folders/${sub.id}?move_links=true&move_links_to=${top.id}`);
    assert.equal(deleted.status, 200, deleted.text);
    assert.equal((await t.api('GET', `/api/v1/links/${inFolder.id}`)).body.folder_id, top.id);
    const emptied = await t.api('DELETE', `/api/v1/folders/${top.id}?move_links=true`);
    assert.equal(emptied.status, 200, emptied.text);
    assert.equal((await t.api('GET', `/api/v1/links/${inFolder.id}`)).body.folder_id, null);
  });

  test('a link created with a UTM template and a campaign takes their values, its own winning, and keeps them', async () => {
    const template = await create('utm-templates', { name: 'Newsletter', utm_source: 'newsletter', utm_medium: 'email', utm_term: 'shoes' });
    const campaign = await create('campaigns', {
      name: 'Spring sale',
      description: 'All of April',
      starts_at: '2026-04-01T00:00:00Z',
      ends_at: '2026-05-01T00:00:00Z',
      utm_campaign: 'spring',
      utm_medium: 'campaign-medium',
    });
    const link = await create('links', {
      url: 'https://shop.example.com/sale',
      slug: 'spring-sale',
      utm_template_id: template.id,
      campaign_id: campaign.id,
      utm_content: 'hero',
    });
    assert.equal(link.campaign_id, campaign.id);
    assert.deepEqual(
      [link.utm_source, link.utm_medium, link.utm_campaign, link.utm_term, link.utm_content],
      ['newsletter', 'email', 'spring', 'shoes', 'hero'],
    );
    const redirect = await visit(t.baseUrl, '/spring-sale', { host: TEST_DOMAIN });
    const location = new URL(redirect.location as string);
    assert.equal(location.searchParams.get('utm_term'), 'shoes');
    assert.equal(location.searchParams.get('utm_content'), 'hero');
    assert.match(location.searchParams.get('mask_click_id') ?? '', /^clk_/, 'a link in a campaign tracks conversions by default');

    const changed = await t.api('PATCH', `/api/v1/utm-templates/${template.id}`, { body: { utm_source: 'changed' } });
    assert.equal(changed.status, 200, changed.text);
    assert.equal(changed.body.utm_source, 'changed');
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}`)).body.utm_source, 'newsletter');
    assert.equal((await t.api('GET', `/api/v1/links?campaign_id=${campaign.id}`)).body.data.length, 1);

    assertValidation(await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com', utm_template_id: 'utm_00000000000000000000000000' } }), ['utm_template_id']);
    assertValidation(await t.api('POST', '/api/v1/campaigns', { body: { name: 'Backwards', starts_at: '2026-05-01T00:00:00Z', ends_at: '2026-04-01T00:00:00Z' } }), ['ends_at']);
    const bulk = await t.api('POST', '/api/v1/links/bulk', {
      body: { links: [{ url: 'https://example.com/1', campaign_id: campaign.id }, { url: 'https://example.com/2', campaign_id: 'camp_00000000000000000000000000' }] },
    });
    assert.equal(bulk.body.data.length, 1);
    assert.equal(bulk.body.data[0].utm_campaign, 'spring');
    assert.deepEqual(bulk.body.errors.map((e: { index: number }) => e.index), [1]);

    const removed = await t.api('DELETE', `/api/v1/campaigns/${campaign.id}`);
    assert.equal(removed.status, 200);
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}`)).body.campaign_id, null);
    const audit = await t.api('GET', '/api/v1/audit-logs?limit=100');
    const actions = new Set(audit.body.data.map((entry: { action: string }) => entry.action));
    for (const action of ['campaign.created', 'campaign.deleted', 'utm_template.created', 'utm_template.updated']) assert.ok(actions.has(action), action);
  });

  test('pixels: provider id formats, a custom script only from the allow-list', async () => {
    const meta = await create('pixels', { name: 'Meta', provider: 'meta', pixel_id: '1234567890' });
    assert.equal(meta.provider, 'meta');
    assertValidation(await t.api('POST', '/api/v1/pixels', { body: { name: 'Bad', provider: 'google_ads', pixel_id: '12345' } }), ['pixel_id']);
    assertValidation(await t.api('POST', '/api/v1/pixels', { body: { name: 'Off list', provider: 'custom', script_url: 'https://evil.example.org/p.js' } }), ['script_url']);
    assertValidation(await t.api('POST', '/api/v1/pixels', { body: { name: 'Plain http', provider: 'custom', script_url: 'http://pixels.example.net/p.js' } }), ['script_url']);
    assertValidation(await t.api('POST', '/api/v1/pixels', { body: { name: 'No url', provider: 'custom' } }), ['script_url']);
    const custom = await create('pixels', { name: 'Ours', provider: 'custom', script_url: 'https://pixels.example.net/p.js' });
    const link = await create('links', { url: 'https://example.com/px', pixel_ids: [meta.id, custom.id] });
    assert.deepEqual(link.pixel_ids, [meta.id, custom.id]);
    assertValidation(await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com', pixel_ids: ['px_00000000000000000000000000'] } }), ['pixel_ids.0']);
    await t.api('DELETE', `/api/v1/pixels/${meta.id}`);
    assert.deepEqual((await t.api('GET', `/api/v1/links/${link.id}`)).body.pixel_ids, [custom.id]);
  });

  test('another workspace’s and the test mode’s folders, campaigns and pixels are 404 and cannot be referred to', async () => {
    const folder = await create('folders', { name: 'Mine' });
    const campaign = await create('campaigns', { name: 'Mine' });
    const other = await t.createWorkspace('Other');
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    for (const key of [other.adminKey, testKey]) {
      assert.equal((await t.api('GET', `/api/v1/folders/${folder.id}`, { key })).status, 404);
      assert.equal((await t.api('GET', `/api/v1/campaigns/${campaign.id}`, { key })).status, 404);
      assert.equal((await t.api('GET', '/api/v1/folders', { key })).body.data.length, 0);
      assertValidation(await t.api('POST', '/api/v1/links', { key, body: { url: 'https://example.com', folder_id: folder.id, campaign_id: campaign.id } }), ['folder_id', 'campaign_id']);
    }
    const readOnly = await t.createKey(['links:read']);
    assert.equal((await t.api('POST', '/api/v1/campaigns', { key: readOnly, body: { name: 'x' } })).status, 403);
  });
});
