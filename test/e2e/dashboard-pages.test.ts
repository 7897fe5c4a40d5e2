import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { TestEngine } from '../support/engine';
import { call, DashboardBrowser, dashboardEngine, heading, open, signIn, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { DESKTOP_UA } from '../support/redirect-client';

const PASSWORD = 'correct horse battery staple';
const EMAIL = 'ada@example.com';

/**
 * Bio pages and CSV import/export in a real Chromium: a page built with a URL item and a picked link, reordered by the
 * keyboard buttons and by dragging, saved, published, opened, visited and counted; an invalid handle refused at its
 * field. A CSV with good and bad rows imported with a progress bar and its failures downloaded; a CSV without a url
 * column refused; links exported as CSV and JSON.
 */
describe('the dashboard in Chromium: bio pages, import and export', { skip: skipWithoutChromium }, () => {
  let t: TestEngine;
  let origin: string;
  let browser: DashboardBrowser;
  let owner: Tab;
  /** GET with an admin key of the dashboard's workspace. */
  let get: (path: string) => Promise<{ status: number; body: any }>;

  before(async () => {
    let workspaceId: string;
    ({ t, origin, workspace: { id: workspaceId } } = await dashboardEngine());
    await t.parts.accounts.createUser({ email: EMAIL, name: 'Ada Lovelace', workspaceId, role: 'owner', password: PASSWORD });
    const key = await t.createKey(['admin'], { workspaceId });
    get = (path) => t.api('GET', path, { key });
    browser = await DashboardBrowser.launch();
    owner = await browser.newPage(origin, '/app/login');
    await signIn(owner, EMAIL, PASSWORD);
    const created = (await call(owner, 'POST', '/api/v1/links', { url: 'https://example.com/launch', slug: 'launch', title: 'Launch day' })).status;
    assert.equal(created, 201);
  });

  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const previewLabels = () => owner.locator('.bio-items .bio-button').allTextContents();

  test('a bio page: built with a URL item and a picked link, reordered by buttons and by drag, saved, published, visited and counted', async () => {
    await open(owner, 'Bio pages');
    await owner.getByText('No bio pages yet.').waitFor();
    await browser.screen(owner, 'pages-empty');
    await owner.getByRole('link', { name: 'New page' }).click();
    await heading(owner, 'New bio page');
    await owner.getByLabel('Handle').fill('ada');
    await owner.getByLabel('Title').fill('Ada Lovelace');
    await owner.getByLabel('Description').fill('Notes on the Analytical Engine');
    await owner.getByLabel('Theme').selectOption('ocean');
    // The live preview follows the form.
    await owner.locator('.bio-preview.theme-ocean').getByText('Ada Lovelace').waitFor();

    await owner.getByRole('button', { name: 'Add item' }).click();
    await owner.getByLabel('Label of item 1').fill('Docs');
    await owner.getByLabel('URL of item 1').fill('https://example.com/docs');
    await owner.getByRole('button', { name: 'Add item' }).click();
    await owner.getByLabel('Label of item 2').fill('Launch');
    await owner.getByLabel('Kind of item 2').selectOption('link');
    await owner.getByLabel('Find a link for item 2').fill('launch');
    await owner.getByRole('button', { name: /localhost:\d+\/launch/ }).click();
    await owner.getByText(/Link: localhost:\d+\/launch/).waitFor();
    await owner.getByRole('button', { name: 'Add item' }).click();
    await owner.getByLabel('Label of item 3').fill('Blog');
    await owner.getByLabel('URL of item 3').fill('https://example.com/blog');
    assert.deepEqual(await previewLabels(), ['Docs', 'Launch', 'Blog']);

    // Keyboard: "Up" on item 2 moves Launch first, and the move is announced.
    await owner.getByRole('button', { name: 'Up item 2' }).focus();
    await owner.keyboard.press('Enter');
    assert.deepEqual(await previewLabels(), ['Launch', 'Docs', 'Blog']);
    await owner.getByText('Launch moved to position 1 of 3').waitFor({ state: 'attached' });
    // Mouse: Blog dragged onto the first item.
    await owner.locator('li.item').nth(2).dragTo(owner.locator('li.item').nth(0));
    assert.deepEqual(await previewLabels(), ['Blog', 'Launch', 'Docs']);
    await browser.screen(owner, 'page-editor');

    await owner.getByRole('button', { name: 'Create page' }).click();
    await owner.getByText('Page created').waitFor();
    await heading(owner, 'Page Ada Lovelace');
    const stored = await get('/api/v1/pages');
    const page = stored.body.data.find((p: { handle: string }) => p.handle === 'ada');
    assert.deepEqual(page.items.map((item: { label: string }) => item.label), ['Blog', 'Launch', 'Docs']);
    const launch = (await get('/api/v1/links?search=launch')).body.data.find((l: { slug: string }) => l.slug === 'launch');
    assert.equal(page.items[1].link_id, launch.id, 'the picked item is the existing link');
    assert.equal(page.published, false);
    assert.equal((await fetch(`${origin}/p/ada`)).status, 404, 'a draft is not public');

    await owner.getByRole('button', { name: 'Publish' }).click();
    await owner.getByText(`Published at ${origin}/p/ada`).waitFor();
    const publicPage = await fetch(`${origin}/p/ada`);
    assert.equal(publicPage.status, 200);
    const html = await publicPage.text();
    assert.match(html, /Ada Lovelace/);
    assert.ok(html.indexOf('Blog') < html.indexOf('Launch') && html.indexOf('Launch') < html.indexOf('Docs'), 'the public page keeps the order');

    // A visit through an item is counted and shown beside the item.
    const visit = await fetch(page.items[2].short_url, { redirect: 'manual', headers: { 'user-agent': DESKTOP_UA } });
    assert.equal(visit.headers.get('location'), 'https://example.com/docs');
    await t.parts.clicks.flush();
    await owner.reload();
    await heading(owner, 'Page Ada Lovelace');
    await owner.locator('li.item').nth(2).getByText('1 visit').waitFor();

    await owner.getByRole('button', { name: 'QR code' }).click();
    const qr = owner.getByRole('dialog', { name: `QR code of localhost:${new URL(origin).port}/p/ada` });
    await qr.getByRole('img', { name: `QR code that opens ${origin}/p/ada` }).waitFor();
    await browser.screen(owner, 'page-qr');
    const [download] = await Promise.all([owner.waitForEvent('download'), qr.getByRole('button', { name: 'Download PNG' }).click()]);
    assert.equal(download.suggestedFilename(), 'ada-qr.png');
    await qr.getByRole('button', { name: 'Close' }).click();
    await browser.screen(owner, 'page-published');

    await owner.getByRole('button', { name: 'Unpublish' }).click();
    await owner.getByText('Page unpublished').waitFor();
    assert.equal((await fetch(`${origin}/p/ada`)).status, 404);
    await open(owner, 'Bio pages');
    await owner.getByRole('row').filter({ hasText: 'Ada Lovelace' }).getByText('Draft').waitFor();
    await browser.screen(owner, 'pages');
    assert.deepEqual(owner.errors, []);
  });

  test('a handle the API refuses is shown at the Handle field', async () => {
    await owner.getByRole('link', { name: 'New page' }).click();
    await heading(owner, 'New bio page');
    await owner.getByLabel('Handle').fill('ada');
    await owner.getByRole('button', { name: 'Create page' }).click();
    const taken = owner.locator('#page-handle-error');
    await taken.waitFor();
    assert.equal(await owner.getByLabel('Handle').getAttribute('aria-invalid'), 'true');
    await owner.getByLabel('Handle').fill('no spaces please');
    await owner.getByRole('button', { name: 'Create page' }).click();
    await owner.locator('#page-handle-error').getByText(/letters, digits/).waitFor();
    await browser.screen(owner, 'page-editor-error');
    assert.equal((await get('/api/v1/pages')).body.data.length, 1, 'nothing was created');
    assert.deepEqual(owner.errors, []);
  });

  test('CSV import: good rows are created in chunks with a progress bar, bad rows listed and downloadable', async () => {
    const rows = ['url,slug,title,tags'];
    for (let i = 0; i < 130; i++) rows.push(`https://example.com/import/${i},imp-${i},"Import, number ${i}",csv;batch`);
    rows.push('javascript:alert(1),imp-bad,Bad scheme,');
    rows.push('https://example.com/dupe,launch,Slug taken,');
    await open(owner, 'Import / export', 'Import and export');
    await owner.getByLabel('CSV file').setInputFiles({ name: 'links.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
    await owner.getByRole('button', { name: 'Import', exact: true }).click();
    await owner.getByText('130 links created, 2 rows failed.').waitFor();
    assert.equal(await owner.locator('#import-progress').getAttribute('value'), '132');
    await owner.getByText('132 of 132 rows').waitFor();
    const failed = owner.getByRole('region', { name: 'Rows that failed' });
    await failed.getByRole('row', { name: /^132 / }).waitFor();
    await failed.getByRole('row', { name: /^133 / }).getByText(/slug/i).waitFor();
    await browser.screen(owner, 'import-result');
    const stored = await get('/api/v1/links?tag=batch&limit=100');
    assert.equal(stored.body.data.length, 100);
    assert.equal(stored.body.pagination.has_more, true);
    assert.equal((await get('/api/v1/links?search=imp-7&limit=100')).body.data.find((l: { slug: string }) => l.slug === 'imp-7').title, 'Import, number 7');

    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Download the failed rows (CSV)' }).click()]);
    const lines = fs.readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
    assert.equal(lines[0], 'line,url,slug,title,tags,error');
    assert.equal(lines.length, 3);
    assert.match(lines[1], /^132,javascript:alert\(1\),imp-bad,/);
    assert.match(lines[2], /^133,https:\/\/example\.com\/dupe,launch,/);
    assert.deepEqual(owner.errors, []);
  });

  test('a CSV without a url column is refused before anything is sent', async () => {
    await owner.reload();
    await heading(owner, 'Import and export');
    await owner.getByLabel('CSV file').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('link,slug\nhttps://example.com/x,xx-1\n') });
    await owner.getByRole('button', { name: 'Import', exact: true }).click();
    await owner.getByRole('alert').getByText(/The header needs a url column\. Unknown columns: link\./).waitFor();
    await browser.screen(owner, 'import-refused');
    assert.equal((await get('/api/v1/links?search=xx-1')).body.data.length, 0);
    assert.deepEqual(owner.errors, []);
  });

  test('export: every link as CSV and as JSON, across pages', async () => {
    const [csv] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Export CSV' }).click()]);
    const lines = fs.readFileSync(await csv.path(), 'utf8').trim().split(/\r?\n/);
    assert.match(lines[0], /^id,short_url,url,slug,domain,title,tags,clicks,/);
    // 130 imported and the launch link (the page's managed links for its URL items are not listed by the API).
    const total = 131;
    assert.equal(lines.length - 1, total);
    assert.ok(lines.some((line) => line.includes(`,imp-129,localhost:${new URL(origin).port},"Import, number 129","csv, batch",`)), 'quoted cells and tags');
    await owner.getByText(`Exported ${total} links.`).waitFor();
    const [jsonFile] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Export JSON' }).click()]);
    const exported = JSON.parse(fs.readFileSync(await jsonFile.path(), 'utf8')) as { slug: string }[];
    assert.equal(exported.length, total);
    assert.equal(new Set(exported.map((link) => link.slug)).size, total, 'no link twice');
    await browser.screen(owner, 'export');
    assert.deepEqual(owner.errors, []);
  });
});
