import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { open, type Tab } from '../support/dashboard-browser';
import { skipWithoutChromium } from '../support/chromium';
import { dashboardTeam, type DashboardTeam } from '../support/dashboard-team';
import { until } from '../support/webhook-receiver';

const BITLY = [
  'long_url,link,custom_bitlinks,title,tags,created_at,clicks',
  'https://example.com/spring,bit.ly/3abcDEF,,Spring launch,promo,2025-03-01T10:00:00+0000,42',
  'https://example.com/summer,bit.ly/3ghiJKL,,Summer,,2025-06-01T10:00:00+0000,7',
  'not a url,bit.ly/3mnoPQR,,Broken,,2025-07-01T10:00:00+0000,1',
].join('\n');

/**
 * Import from another shortener in a real Chromium: a Bitly export imported in the background with a progress bar,
 * the report and its row errors (downloaded as CSV); a file without the source's destination column refused at once;
 * the same file again only skips; a viewer gets no import.
 */
describe('the dashboard in Chromium: import from other shorteners', { skip: skipWithoutChromium }, () => {
  let team: DashboardTeam;
  let owner: Tab;
  const api = (method: string, path: string, body?: unknown) => team.api(method, path, body);
  const choose = (name: string, text: string) => owner.getByLabel('Export file').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

  before(async () => {
    team = await dashboardTeam();
    ({ owner } = team);
  });

  after(() => team?.close());

  test('a file without the source’s columns is refused at once, and nothing is queued', async () => {
    await open(owner, 'Import / export', 'Import and export');
    const section = owner.getByRole('region', { name: 'Import from another shortener' });
    await section.getByLabel('Source').selectOption('kutt');
    await choose('links.csv', BITLY);
    await section.getByRole('button', { name: 'Start import' }).click();
    await section.locator('#shortener-file-error').waitFor();
    assert.equal(await section.getByLabel('Export file').getAttribute('aria-invalid'), 'true');
    await team.browser.screen(owner, 'import-refused');
    assert.deepEqual((await api('GET', '/api/v1/imports')).body.data, []);
    assert.deepEqual(owner.errors, []);
  });

  test('a Bitly export: progress, the report, the row errors downloaded; the same file again skips', async () => {
    const section = owner.getByRole('region', { name: 'Import from another shortener' });
    await section.getByLabel('Source').selectOption('bitly');
    await choose('bitly.csv', BITLY);
    await section.getByRole('button', { name: 'Start import' }).click();
    await section.getByText('Import finished').waitFor();
    assert.equal(await section.locator('#shortener-import-progress').getAttribute('value'), '100');
    const report = section.getByLabel('Import report');
    assert.deepEqual(await report.locator('dd').allTextContents(), ['2', '0', '1']);
    await section.getByRole('region', { name: 'Rows not imported' }).getByRole('rowheader', { name: '3' }).waitFor();
    await team.browser.screen(owner, 'import-report');

    const [download] = await Promise.all([owner.waitForEvent('download'), section.getByRole('button', { name: 'Download row errors (CSV)' }).click()]);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    assert.match(csv, /^row,code,error\r?\n3,validation_error,/);

    const links = (await api('GET', '/api/v1/links')).body.data as { slug: string; url: string }[];
    assert.deepEqual(links.map((l) => l.url).sort(), ['https://example.com/spring', 'https://example.com/summer']);
    assert.ok(links.some((l) => l.slug === '3abcDEF'), 'the Bitly back-half is kept');

    await choose('bitly.csv', BITLY);
    await section.getByRole('button', { name: 'Start import' }).click();
    await until(async () => (await report.locator('dd').allTextContents()).join() === '0,2,1', 'the second report');
    assert.deepEqual(owner.errors, []);
  });

  test('a viewer gets no import', async () => {
    const viewer = await team.viewer();
    await open(viewer, 'Import / export', 'Import and export');
    assert.equal(await viewer.getByRole('region', { name: 'Import from another shortener' }).count(), 0);
    assert.equal(await viewer.getByRole('button', { name: 'Start import' }).count(), 0);
    assert.deepEqual(viewer.errors, []);
  });
});

