import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Request } from 'playwright-core';
import { heading, open, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { dashboardTeam, type DashboardTeam } from '../support/dashboard-team';
import { DESKTOP_UA } from '../support/redirect-client';
import { until } from '../support/webhook-receiver';

/**
 * Folders, campaigns and UTM templates in a real Chromium: campaigns created (an empty name refused) and edited, a
 * UTM template, folders in the tree (an empty name refused), a link created in a folder and a campaign from a
 * template, links moved to a folder in bulk and the list filtered by it, bulk tag and delete through /links/bulk,
 * campaign analytics with a lead and a sale, and a viewer without write controls.
 */
describe('the dashboard in Chromium: folders, campaigns and UTM templates', { skip: skipWithoutChromium }, () => {
  let team: DashboardTeam;
  let t: DashboardTeam['t'];
  let owner: Tab;
  const api = (method: string, path: string, body?: unknown) => team.api(method, path, body);
  const linkBySlug = async (slug: string) => (await api('GET', `/api/v1/links?search=${slug}`)).body.data.find((l: { slug: string }) => l.slug === slug);

  before(async () => {
    team = await dashboardTeam();
    ({ t, owner } = team);
    for (const slug of ['first-post', 'second-post', 'third-post']) await api('POST', '/api/v1/links', { url: `https://example.com/${slug}`, slug, tags: ['blog'] });
  });

  after(() => team?.close());

  test('campaigns: an empty name refused, one created with UTM defaults and edited; a UTM template created', async () => {
    await open(owner, 'Campaigns');
    await owner.getByText('No campaigns yet.').waitFor();
    await owner.getByRole('button', { name: 'New campaign' }).click();
    let dialog = owner.getByRole('dialog', { name: 'New campaign' });
    await dialog.getByLabel('utm_source').fill('newsletter');
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    await dialog.locator('#campaign-name-error').waitFor();
    await team.browser.screen(owner, 'campaign-form-error');
    await dialog.getByLabel('Name').fill('Spring sale');
    await dialog.getByLabel('utm_medium').fill('email');
    await dialog.getByRole('button', { name: 'Create campaign' }).click();
    await owner.getByText('Campaign Spring sale created').waitFor();
    await owner.getByRole('button', { name: 'Edit Spring sale' }).click();
    dialog = owner.getByRole('dialog', { name: 'Edit Spring sale' });
    await dialog.getByLabel('Description').fill('Everything 20 % off');
    await dialog.getByRole('button', { name: 'Save campaign' }).click();
    await owner.getByText('Campaign saved').waitFor();
    const [campaign] = (await api('GET', '/api/v1/campaigns')).body.data;
    assert.equal(campaign.description, 'Everything 20 % off');
    assert.equal(campaign.utm_source, 'newsletter');

    await owner.getByRole('button', { name: 'New UTM template' }).click();
    dialog = owner.getByRole('dialog', { name: 'New UTM template' });
    await dialog.getByLabel('Template name').fill('Social');
    await dialog.getByLabel('utm_source').fill('social');
    await dialog.getByRole('button', { name: 'Create template' }).click();
    await owner.getByText('UTM template Social created').waitFor();
    await owner.getByRole('region', { name: 'UTM templates' }).getByText('source=social').waitFor();
    await team.browser.screen(owner, 'campaigns');
    assert.deepEqual(owner.errors, []);
  });

  test('folders: an empty name refused, a folder and a subfolder added; a link created in a folder and campaign from a template', async () => {
    await open(owner, 'Links');
    const tree = owner.getByRole('navigation', { name: 'Folders' });
    await tree.getByRole('button', { name: 'Add folder' }).click();
    await tree.locator('#folder-name-error').waitFor();
    await tree.getByLabel('New folder').fill('Blog');
    await tree.getByRole('button', { name: 'Add folder' }).click();
    await owner.getByText('Folder Blog created').waitFor();
    await tree.getByLabel('New folder').fill('Drafts');
    await tree.getByLabel('Inside').selectOption({ label: 'Blog' });
    await tree.getByRole('button', { name: 'Add folder' }).click();
    await tree.getByRole('button', { name: 'Drafts' }).waitFor();

    await owner.getByRole('button', { name: 'New link' }).click();
    const dialog = owner.getByRole('dialog', { name: 'New link' });
    await dialog.getByLabel('Destination URL').fill('https://example.com/spring');
    await dialog.getByLabel('Slug').fill('spring');
    await dialog.getByLabel('Folder', { exact: true }).selectOption({ label: 'Blog / Drafts' });
    await dialog.getByLabel('Campaign', { exact: true }).selectOption({ label: 'Spring sale' });
    await dialog.getByLabel('UTM template').selectOption({ label: 'Social' });
    await team.browser.axe(owner, 'link-form-organize');
    await dialog.getByRole('button', { name: 'Create link' }).click();
    await owner.getByText(/^Created http/).waitFor();
    const link = await linkBySlug('spring');
    const folders = (await api('GET', '/api/v1/folders')).body.data as { id: string; name: string }[];
    assert.equal(link.folder_id, folders.find((f) => f.name === 'Drafts')?.id);
    assert.equal(link.campaign_id, (await api('GET', '/api/v1/campaigns')).body.data[0].id);
    // The template fills first, then the campaign fills what is still empty.
    assert.equal(link.utm_source, 'social');
    assert.equal(link.utm_medium, 'email');
    assert.deepEqual(owner.errors, []);
  });

  test('bulk: links moved to a folder, the list filtered by it, tagged and deleted through /links/bulk', async () => {
    // The link writes the client sends: one bulk call per action, not one per link.
    const linkWrites: string[] = [];
    const recordWrite = (request: Request) => {
      const { pathname } = new URL(request.url());
      if (request.method() !== 'GET' && pathname.startsWith('/api/v1/links')) linkWrites.push(`${request.method()} ${pathname}`);
    };
    owner.on('request', recordWrite);
    await owner.getByRole('checkbox', { name: /first-post/ }).check();
    await owner.getByRole('checkbox', { name: /second-post/ }).check();
    await owner.getByLabel('Folder to move the selected links to').selectOption({ label: 'Blog' });
    await owner.getByRole('button', { name: 'Move', exact: true }).click();
    await owner.getByText('Moved 2 links to Blog.').waitFor();
    const blog = (await api('GET', '/api/v1/folders')).body.data.find((f: { name: string }) => f.name === 'Blog');
    assert.equal((await linkBySlug('first-post')).folder_id, blog.id);
    assert.equal((await linkBySlug('third-post')).folder_id, null);

    const tree = owner.getByRole('navigation', { name: 'Folders' });
    await tree.getByRole('button', { name: 'Blog', exact: true }).click();
    // The filtered list replaces the whole one: wait until it has come.
    await until(async () => (await owner.getByRole('row').filter({ hasText: 'first-post' }).count()) === 1 && (await owner.getByRole('row').filter({ hasText: 'third-post' }).count()) === 0, 'the Blog folder only');
    assert.equal(await owner.getByRole('row').filter({ hasText: 'spring' }).count(), 0, 'a subfolder’s links are not in its parent');
    await team.browser.screen(owner, 'links-folder');

    await owner.getByRole('checkbox', { name: /first-post/ }).check();
    await owner.getByRole('checkbox', { name: /second-post/ }).check();
    await owner.getByLabel('Tag to add to the selected links').fill('featured');
    await owner.getByRole('button', { name: 'Add tag' }).click();
    await owner.getByText('Tagged 2 links “featured”.').waitFor();
    assert.deepEqual((await linkBySlug('second-post')).tags, ['blog', 'featured']);

    // A folder with links is refused with the API's 409 message; deleting it then moves its links out.
    await tree.getByRole('button', { name: 'Delete folder Blog' }).click();
    const confirm = owner.getByRole('dialog', { name: 'Delete folder Blog?' });
    await confirm.getByRole('button', { name: 'Delete folder' }).click();
    await confirm.getByRole('alert').getByText(/subfolder|links/i).waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();

    // Both stay selected after tagging.
    await owner.getByRole('button', { name: 'Delete selected' }).click();
    await owner.getByRole('dialog', { name: 'Delete 2 links?' }).getByRole('button', { name: /^Delete/ }).last().click();
    await owner.getByText('Deleted 2 links').waitFor();
    owner.off('request', recordWrite);
    assert.deepEqual(linkWrites, ['PATCH /api/v1/links/bulk', 'PATCH /api/v1/links/bulk', 'DELETE /api/v1/links/bulk'], 'move, tag, delete');
    assert.equal(await linkBySlug('first-post'), undefined);
    assert.equal(await linkBySlug('second-post'), undefined);
    assert.deepEqual(owner.errors, []);
  });

  test('campaign analytics: clicks, a lead and a sale, over time and by link', async () => {
    const link = await linkBySlug('spring');
    const redirect = await fetch(link.short_url, { redirect: 'manual', headers: { 'user-agent': DESKTOP_UA } });
    assert.equal(redirect.status, 302);
    const clickId = new URL(redirect.headers.get('location') as string).searchParams.get('mask_click_id');
    assert.match(clickId ?? '', /^clk_/);
    assert.equal((await api('POST', '/api/v1/track/lead', { click_id: clickId, customer_id: 'cus-1', event_name: 'Sign up' })).status, 201);
    assert.equal((await api('POST', '/api/v1/track/sale', { customer_id: 'cus-1', event_name: 'Purchase', amount: 4900, currency: 'EUR', idempotency_key: 'o-1' })).status, 201);
    await t.parts.clicks.flush();

    await open(owner, 'Campaigns');
    await owner.getByRole('link', { name: 'Analytics of Spring sale' }).click();
    await heading(owner, 'Campaign Spring sale');
    const totals = owner.getByLabel('Totals');
    await totals.getByText(/49/).waitFor();
    const byLink = owner.getByRole('region', { name: 'By link' });
    const row = byLink.getByRole('row').filter({ hasText: link.id });
    await row.waitFor();
    assert.deepEqual((await row.getByRole('cell').allTextContents()).slice(0, 4), ['1', '1', '1', '1']);
    await owner.getByRole('region', { name: 'Over time' }).waitFor();
    await team.browser.screen(owner, 'campaign-analytics');
    assert.deepEqual(owner.errors, []);
  });

  test('a viewer sees campaigns, templates and folders without write controls', async () => {
    const viewer = await team.viewer();
    await viewer.getByRole('navigation', { name: 'Folders' }).getByRole('button', { name: 'Blog', exact: true }).waitFor();
    assert.equal(await viewer.getByRole('button', { name: 'Add folder' }).count(), 0);
    await open(viewer, 'Campaigns');
    await viewer.getByRole('row').filter({ hasText: 'Spring sale' }).waitFor();
    for (const name of ['New campaign', 'New UTM template', /^Edit/, /^Delete/]) {
      assert.equal(await viewer.getByRole('button', { name }).count(), 0, `no "${name}" for a viewer`);
    }
    await team.browser.screen(viewer, 'campaigns-viewer');
    assert.deepEqual(viewer.errors, []);
  });
});
