import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { importFixture } from '../../support/imports';

describe('Imports: each source format', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(async () => {
    await t.stop();
  });

  const linkBySlug = async (slug: string) => {
    const all = await t.api('GET', `/api/v1/links?limit=100&search=${encodeURIComponent(slug)}`);
    return all.body.data.find((link: { slug: string }) => link.slug === slug);
  };
  const errorRows = (job: { errors: Array<{ row: number; error: { code: string; details?: Array<{ field: string }> } }> }) =>
    job.errors.map((e) => [e.row, e.error.code, e.error.details?.[0]?.field]);

  test('Bitly CSV: custom back-half on an own domain kept, titles, tags, dates and click totals; bad URL per row', async () => {
    const job = await importFixture(t, 'bitly', 'bitly.csv');
    assert.equal(job.status, 'completed');
    assert.deepEqual(job.report, { created: 2, skipped: 0, failed: 1 });
    assert.deepEqual(job.progress, { total_rows: 3, processed_rows: 3, percent: 100 });
    assert.deepEqual(errorRows(job), [[3, 'validation_error', 'url']]);
    const sale = await linkBySlug('spring-sale');
    assert.equal(sale.domain, 'go.mask.test');
    assert.equal(sale.url, 'https://example.com/spring?ref=bitly');
    assert.equal(sale.title, 'Spring sale');
    assert.deepEqual(sale.tags, ['promo', 'spring']);
    assert.equal(sale.created_at, '2023-03-01T10:00:00Z');
    assert.equal(sale.imported_clicks, 1520);
    assert.equal(sale.clicks, 0);
    // bit.ly is not this workspace's domain: the slug is kept on the default domain.
    const docs = await linkBySlug('4yZzYy1');
    assert.equal(docs.domain, 'go.mask.test');
    assert.equal(docs.title, 'Docs, with a comma');
  });

  test('Bitly dashboard CSV headers (Bitly link, Long URL, Created, Engagements)', async () => {
    const job = await importFixture(t, 'bitly', 'bitly-ui.csv');
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 0 });
    const link = await linkBySlug('webinar-q3');
    assert.equal(link.url, 'https://example.com/webinar');
    assert.equal(link.imported_clicks, 1234);
    assert.equal(link.created_at, '2023-01-05T00:00:00Z');
    assert.deepEqual(link.tags, ['events']);
    const audited = await t.parts.db('audit_logs').where({ action: 'link.created', resource_id: link.id }).first();
    assert.ok(audited, 'each imported link is audited');
  });

  test('Kutt API JSON: address, target, description, visit_count; a too-short slug is a per-row error', async () => {
    const job = await importFixture(t, 'kutt', 'kutt.json');
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 1 });
    assert.deepEqual(errorRows(job), [[2, 'validation_error', 'slug']]);
    const link = await linkBySlug('kutt-docs');
    assert.equal(link.url, 'https://example.com/kutt');
    assert.equal(link.title, 'Kutt docs');
    assert.equal(link.imported_clicks, 12);
    assert.equal(link.created_at, '2022-01-05T12:00:00Z');
  });

  test('Shlink API JSON and web-client CSV: short codes, tags, visits, validity and max visits', async () => {
    const job = await importFixture(t, 'shlink', 'shlink.json');
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 1 });
    const link = await linkBySlug('shl-one');
    assert.deepEqual(link.tags, ['alpha', 'beta']);
    assert.equal(link.imported_clicks, 99);
    assert.equal(link.max_clicks, 500);
    assert.equal(link.expires_at, '2020-01-01T00:00:00Z');
    assert.equal(link.created_at, '2021-06-01T08:00:00Z');
    const csv = await importFixture(t, 'shlink', 'shlink.csv');
    assert.deepEqual(csv.report, { created: 1, skipped: 0, failed: 0 });
    const fromCsv = await linkBySlug('shl-csv');
    assert.deepEqual(fromCsv.tags, ['news', 'tech']);
    assert.equal(fromCsv.imported_clicks, 7);
  });

  test('YOURLS: keyword, title, timestamp (UTC), clicks; a keyword shorter than 4 characters fails alone', async () => {
    const job = await importFixture(t, 'yourls', 'yourls.csv');
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 1 });
    assert.deepEqual(errorRows(job), [[2, 'validation_error', 'slug']]);
    const link = await linkBySlug('yourls-home');
    assert.equal(link.created_at, '2019-05-06T07:08:09Z');
    assert.equal(link.imported_clicks, 5);
  });

  test('Rebrandly API JSON and CSV export: slashtag, destination, clicks', async () => {
    const job = await importFixture(t, 'rebrandly', 'rebrandly.json');
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 0 });
    const link = await linkBySlug('rb-link');
    assert.equal(link.url, 'https://example.com/rebrandly');
    assert.equal(link.imported_clicks, 42);
    const csv = await importFixture(t, 'rebrandly', 'rebrandly.csv');
    assert.deepEqual(csv.report, { created: 1, skipped: 0, failed: 0 });
    assert.equal((await linkBySlug('rb-csv')).title, 'Rebrandly CSV');
  });

  test('generic CSV with a column mapping (and a semicolon delimiter, guessed)', async () => {
    const mapping = JSON.stringify({ slug: 'Code', url: 'Destination', tags: 'Labels', title: 'Name' });
    const job = await importFixture(t, 'csv', 'generic-mapped.csv', { mapping });
    assert.deepEqual(job.report, { created: 1, skipped: 0, failed: 0 });
    const link = await linkBySlug('mapped-one');
    assert.deepEqual(link.tags, ['x', 'y']);
    assert.equal(link.title, 'Mapped one');
  });

  test('re-importing the same files creates no duplicates', async () => {
    const before = Number((await t.parts.db('links').count({ n: '*' }))[0].n);
    for (const [source, file] of [['bitly', 'bitly.csv'], ['kutt', 'kutt.json'], ['shlink', 'shlink.json'], ['yourls', 'yourls.csv'], ['rebrandly', 'rebrandly.json']]) {
      const job = await importFixture(t, source, file);
      assert.equal(job.report.created, 0, `${source}: ${JSON.stringify(job.report)}`);
      assert.ok(job.report.skipped >= 1);
    }
    assert.equal(Number((await t.parts.db('links').count({ n: '*' }))[0].n), before);
  });
});
