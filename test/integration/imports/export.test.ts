import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { finished, upload } from '../../support/imports';
import { isoIn } from '../../support/links';

/** The fields an export → import round trip keeps as they were. */
const KEPT = ['url', 'slug', 'domain', 'title', 'tags', 'utm_source', 'utm_medium', 'utm_campaign', 'starts_at', 'expires_at', 'max_clicks', 'ios_target', 'android_target', 'notes', 'external_id', 'created_at'];
const kept = (link: Record<string, unknown>) => Object.fromEntries(KEPT.map((field) => [field, link[field]]));

describe('Exports: streamed CSV / JSON, export jobs, and the round trip through the generic import', () => {
  let source: TestEngine;
  let target: TestEngine;
  before(async () => {
    source = await startTestEngine();
    target = await startTestEngine();
    const links = [
      { url: 'https://example.com/full?a=1&b=2', slug: 'full-link', title: 'Quotes "and", commas', tags: ['a,b', 'c|d', 'plain'], notes: 'Two\nlines', utm_source: 'news', utm_medium: 'mail', utm_campaign: 'spring', starts_at: '2026-01-01T00:00:00Z', expires_at: isoIn(86_400_000 * 30), max_clicks: 10, ios_target: 'https://apps.example/ios', android_target: 'https://apps.example/android', external_id: 'crm-77' },
      { url: 'https://example.com/plain', tags: ['x', 'y'] },
      { url: 'https://example.com/bare' },
    ];
    for (const body of links) assert.equal((await source.api('POST', '/api/v1/links', { body })).status, 201);
  });
  after(async () => {
    await source.stop();
    await target.stop();
  });

  const exported = async (format: string, key?: string) => {
    const response = await fetch(`${source.baseUrl}/api/v1/links/export?format=${format}`, { headers: { authorization: `Bearer ${key ?? source.adminKey}` } });
    return { status: response.status, type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition'), text: await response.text() };
  };

  test('CSV and JSON carry every link field; JSON is an array of link objects', async () => {
    const csv = await exported('csv');
    assert.equal(csv.status, 200);
    assert.match(csv.type ?? '', /^text\/csv/);
    assert.match(csv.disposition ?? '', /attachment; filename="links-.*\.csv"/);
    assert.equal(csv.text.split('\n')[0], 'id,url,short_url,slug,domain,title,tags,clicks,imported_clicks,utm_source,utm_medium,utm_campaign,starts_at,expires_at,max_clicks,password_protected,ios_target,android_target,notes,external_id,created_at,updated_at');
    const json = await source.api('GET', '/api/v1/links/export?format=json');
    assert.equal(json.status, 200);
    assert.equal(json.body.length, 3);
    const listed = await source.api('GET', '/api/v1/links?limit=100&order=asc');
    assert.deepEqual(json.body, listed.body.data);
    assert.equal((await source.api('GET', '/api/v1/links/export?format=xml')).status, 422);
  });

  test('another workspace and the other mode export only their own links', async () => {
    const other = await source.createWorkspace('Empty');
    assert.deepEqual((await source.api('GET', '/api/v1/links/export?format=json', { key: other.adminKey })).body, []);
    const testKey = await source.createKey(['links:read'], { mode: 'test' });
    assert.deepEqual((await source.api('GET', '/api/v1/links/export?format=json', { key: testKey })).body, []);
  });

  for (const format of ['csv', 'json']) {
    test(`export (${format}) → generic import into another instance gives the same links; importing again adds none`, async () => {
      const file = (await exported(format)).text;
      const first = await upload(target, { source: 'csv' }, file, format === 'csv' ? 'text/csv' : 'application/octet-stream');
      assert.equal(first.status, 202, first.text);
      const job = await finished(target, first.body.id);
      if (format === 'csv') assert.deepEqual(job.report, { created: 3, skipped: 0, failed: 0 }, JSON.stringify(job.errors));
      else assert.deepEqual(job.report, { created: 0, skipped: 3, failed: 0 });
      const bySlug = (a: { slug: string }, b: { slug: string }) => a.slug.localeCompare(b.slug);
      const original = (await source.api('GET', '/api/v1/links/export?format=json')).body.map(kept).sort(bySlug);
      const copied = (await target.api('GET', '/api/v1/links/export?format=json')).body.map(kept).sort(bySlug);
      assert.deepEqual(copied, original);
    });
  }

  test('an export job builds the file for download; it is 404 for other workspaces', async () => {
    const started = await source.api('POST', '/api/v1/exports', { body: { format: 'csv' } });
    assert.equal(started.status, 202, started.text);
    let job = started.body;
    for (let i = 0; i < 200 && job.status !== 'completed'; i++) {
      await sleep(50);
      job = (await source.api('GET', `/api/v1/exports/${job.id}`)).body;
    }
    assert.equal(job.status, 'completed');
    assert.equal(job.row_count, 3);
    const file = await fetch(`${source.baseUrl}${job.download_url}`, { headers: { authorization: `Bearer ${source.adminKey}` } });
    assert.equal(await file.text(), (await exported('csv')).text);
    const other = await source.createWorkspace('Nosy');
    assert.equal((await source.api('GET', `/api/v1/exports/${job.id}`, { key: other.adminKey })).status, 404);
    assert.equal((await source.api('GET', `/api/v1/exports/${job.id}/file`, { key: other.adminKey })).status, 404);
    assert.equal((await source.api('POST', '/api/v1/exports', { body: { format: 'pdf' } })).status, 422);
  });
});
