import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { clickedLink, groupsOf, recordClicks, type HandMadeClick } from '../../support/analytics';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { takeTableOffline } from '../../support/outage';
import { BOT_UA, DESKTOP_UA, IPHONE_UA, visit } from '../../support/redirect-client';

const DAY = 86_400_000;

/** Splits CSV text (RFC 4180, CRLF rows) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  return rows;
}

describe('click analytics from real redirects', () => {
  let t: TestEngine;
  let first: { id: string; slug: string };
  let second: { id: string; slug: string };
  const get = (path: string) => t.api('GET', `/api/v1${path}`);
  const go = (slug: string, headers: Record<string, string>, method = 'GET') => visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN, method, headers });

  before(async () => {
    t = await startTestEngine();
    const create = async (body: Record<string, unknown>) => (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/landing', ...body } })).body;
    first = await create({ tags: ['spring'] });
    second = await create({});
    const visits: Array<[slug: string, headers: Record<string, string>, method?: string]> = [
      [first.slug, { 'user-agent': DESKTOP_UA }],
      [first.slug, { 'user-agent': DESKTOP_UA }],
      [first.slug, { 'user-agent': DESKTOP_UA, referer: 'https://ref.example/?q=a,"b"' }],
      [first.slug, { 'user-agent': IPHONE_UA, referer: 'https://www.google.com/search?q=mask', 'cf-ipcountry': 'FR' }],
      [first.slug, { 'user-agent': IPHONE_UA, referer: 'https://www.google.com/', 'cf-ipcountry': 'FR' }],
      [first.slug, { 'user-agent': BOT_UA }],
      [first.slug, { 'user-agent': `${DESKTOP_UA} Edg/124.0.0.0` }, 'HEAD'],
      ...[1, 2, 3, 4].map((n): [string, Record<string, string>] => [second.slug, { 'user-agent': `${DESKTOP_UA} visitor/${n}`, 'cf-ipcountry': 'JP' }]),
    ];
    for (const [slug, headers, method] of visits) {
      const response = await go(slug, headers, method);
      assert.equal(response.status, 302);
    }
  });
  after(() => t.stop());

  test('totals match the visits made and the link’s own click counter, right after the redirects', async () => {
    const one = await get(`/analytics?link_id=${first.id}`);
    assert.equal(one.status, 200, one.text);
    assert.deepEqual(one.body.totals, { clicks: 5, unique_visitors: 2 });
    assert.equal(one.body.data.length, 31);
    assert.equal(one.body.data.at(-1).clicks, 5, 'today’s bucket');
    assert.equal((await get(`/links/${first.id}`)).body.clicks, 5, 'the same count as links.clicks');
    assert.deepEqual((await get(`/analytics?link_id=${first.id}&include_bots=true`)).body.totals, { clicks: 7, unique_visitors: 4 });
    assert.deepEqual((await get(`/analytics?link_id=${second.id}`)).body.totals, { clicks: 4, unique_visitors: 4 });
    assert.deepEqual((await get('/analytics?interval=hour&start=' + new Date(Date.now() - DAY).toISOString())).body.totals, { clicks: 9, unique_visitors: 6 });
    assert.deepEqual((await get('/analytics?tag=spring&interval=month')).body.totals, { clicks: 5, unique_visitors: 2 });
  });

  test('breakdowns from real requests: referrer hosts, countries from the proxy header, devices, links', async () => {
    assert.deepEqual(groupsOf(await get(`/analytics?link_id=${first.id}&group_by=referrer`)), [
      [null, 2, 1],
      ['www.google.com', 2, 1],
      ['ref.example', 1, 0],
    ]);
    assert.deepEqual(groupsOf(await get('/analytics?group_by=country')), [
      ['JP', 4, 4],
      [null, 3, 1],
      ['FR', 2, 1],
    ]);
    assert.deepEqual(groupsOf(await get('/analytics?group_by=device&include_bots=true')), [
      ['desktop', 8, 6],
      ['mobile', 2, 1],
      ['bot', 1, 1],
    ]);
    assert.deepEqual(groupsOf(await get('/analytics?group_by=link&limit=1')), [[first.id, 5, 2]]);
  });

  test('the CSV export holds each visit once, escaped so that any CSV reader gets the referrer back', async () => {
    const response = await get(`/analytics/export?link_id=${first.id}`);
    assert.equal(response.status, 200, response.text);
    const rows = parseCsv(response.text);
    assert.equal(rows.length, 1 + 5);
    const referrers = rows.slice(1).map((row) => row[rows[0].indexOf('referrer')]);
    assert.ok(referrers.includes('https://ref.example/?q=a,"b"'), referrers.join(' | '));
    assert.ok(response.text.includes('"https://ref.example/?q=a,""b"""'));
    assert.ok(rows.slice(1).every((row) => row.length === rows[0].length && row[rows[0].indexOf('link_id')] === first.id));
  });
});

describe('click analytics: rollups commit with their clicks; retention prunes raw clicks only', () => {
  let t: TestEngine;
  let link: ReturnType<typeof clickedLink>;
  const get = (path: string) => t.api('GET', `/api/v1${path}`);

  before(async () => {
    t = await startTestEngine({ clickRetention: '7d' });
    const created = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/' } })).body;
    link = clickedLink(created, t.workspace.id);
  });
  after(() => t.stop());

  test('a flush that fails after the rollups were written leaves no rollup behind; its retry counts each click once', async () => {
    const { db } = t.parts;
    // Written after the link rollups in the same flush: taking it away fails the flush once those are written.
    const bringBack = await takeTableOffline(db, 'workspace_click_rollups');
    const range = '/analytics?start=2026-10-05&end=2026-10-06';
    try {
      const clicks: HandMadeClick[] = [1, 2, 3].map((n) => ({ at: `2026-10-05T10:0${n}:00Z`, link, visitor: `r${n}`, userAgent: DESKTOP_UA }));
      await assert.rejects(recordClicks(t.engine, clicks), /workspace_click_rollups/);
      assert.equal((await db('link_click_rollups').where({ link_id: link.id })).length, 0);
    } finally {
      await bringBack();
    }
    assert.deepEqual((await get(range)).body.totals, { clicks: 3, unique_visitors: 3 }, 'the report flushes what is buffered first');
    assert.deepEqual((await get(range)).body.totals, { clicks: 3, unique_visitors: 3 });
  });

  test('an export of thousands of clicks arrives whole and in order, page after page', async () => {
    const start = Date.parse('2026-10-10T00:00:00Z');
    const clicks: HandMadeClick[] = Array.from({ length: 4_500 }, (_, i) => ({
      at: new Date(start + Math.floor(i / 3) * 1000).toISOString(), // three clicks at each time: the page keyset must break ties
      link,
      visitor: `bulk${i % 700}`,
      userAgent: DESKTOP_UA,
      referrer: `https://site${i % 7}.example/`,
    }));
    await recordClicks(t.engine, clicks);
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const response = await get('/analytics/export?format=ndjson&start=2026-10-10&end=2026-10-11').finally(() => process.off('warning', onWarning));
    assert.deepEqual(warnings.map((w) => w.name).filter((name) => name === 'MaxListenersExceededWarning'), [], 'waiting for the socket to drain leaves no listener behind');
    const rows = response.text.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; timestamp: string });
    assert.equal(rows.length, 4_500);
    assert.equal(new Set(rows.map((row) => row.id)).size, 4_500);
    const keys = rows.map((row) => `${row.timestamp} ${row.id}`);
    assert.deepEqual(keys, [...keys].sort(), 'oldest first, ties in id order');
    const report = await get('/analytics?start=2026-10-10&end=2026-10-11&group_by=referrer&limit=3');
    assert.deepEqual(report.body.totals, { clicks: 4_500, unique_visitors: 700 });
    assert.deepEqual(groupsOf(report), [
      ['site0.example', 643, 100],
      ['site1.example', 643, 100],
      ['site2.example', 643, 100],
    ]);
  });

  test('retention deletes raw clicks older than MASK_CLICK_RETENTION and old visitor-days; reports keep their numbers', async () => {
    const recent = new Date(Date.now() - 2 * DAY).toISOString();
    await recordClicks(t.engine, [{ at: recent, link, visitor: 'fresh', userAgent: IPHONE_UA }]);
    const { db } = t.parts;
    const before = await get('/analytics?start=2026-10-01&end=2026-10-15');
    const pruned = await t.parts.analytics.retention.run();
    assert.equal(pruned.clicks, 4_503);
    assert.ok(pruned.visitors >= 703);
    assert.deepEqual((await db('clicks').where({ link_id: link.id })).map((row: { created_at: number }) => Number(row.created_at)), [Date.parse(recent)]);
    assert.deepEqual((await get('/analytics?start=2026-10-01&end=2026-10-15')).body, before.body, 'rollups are not pruned');
    const exported = await get('/analytics/export?format=ndjson&start=2026-10-01&end=2026-10-15');
    assert.equal(exported.text, '', 'raw clicks are gone');
  });
});
