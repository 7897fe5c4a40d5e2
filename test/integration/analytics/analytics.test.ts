import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ClickedLink } from '../../../engine/clicks';
import { ClickExport } from '../../../engine/analytics/export';
import { AnalyticsStore, type ClickSelection } from '../../../engine/store/analytics';
import { LinkStore } from '../../../engine/store/links';
import { clickedLink, groupsOf, recordClicks, seriesOf, type HandMadeClick } from '../../support/analytics';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { ANDROID_UA, BOT_UA, DESKTOP_UA, IPHONE_UA } from '../../support/redirect-client';

/**
 * A hand-made set of clicks around the end of daylight-saving time in New York (2026-11-01 02:00 EDT → 01:00 EST,
 * at 06:00Z, so that local day lasts 25 hours) and across the Kolkata day boundary (18:30Z, a 30-minute offset),
 * recorded through the real click pipeline at chosen times. Every expected number below is worked out by hand.
 *
 *  #  time (UTC)         link visitor  agent    referrer               country  New York        Kolkata
 *  1  10-31 23:50        A    v1       desktop  news.example.com/a     US       Oct 31 19:50    Nov 1 05:20
 *  2  11-01 00:10        A    v1       desktop  news.example.com/b     US       Oct 31 20:10    Nov 1   (new UTC day: unique again)
 *  3  11-01 05:30        A    v2       iPhone   —                      IN       Nov 1 01:30 EDT Nov 1
 *  4  11-01 06:30        A    v2       iPhone   t.co                   IN       Nov 1 01:30 EST Nov 1   (same visitor, same day)
 *  5  11-01 06:40        A    bot      Googlebot                       US       Nov 1           Nov 1   (bot)
 *  6  11-01 18:20        B    v3       Android  news.example.com/c     DE       Nov 1           Nov 1 23:50
 *  7  11-01 18:40        B    v3       Android  —                      DE       Nov 1           Nov 2 00:10 (same visitor, same UTC day)
 *  8  11-01 18:45        A    v3       Android  —                      DE       Nov 1           Nov 2   (another link: unique there)
 *  9  11-02 04:30        A    v1       desktop  — (HEAD request)       —        Nov 1 23:30 EST Nov 2   (not a visit)
 * 10  11-02 04:59        B    v4       desktop  —                      —        Nov 1 23:59     Nov 2
 * 11  11-02 05:00        B    v4       desktop  —                      —        Nov 2 00:00     Nov 2   (same visitor, same day)
 */
describe('click analytics: exact numbers from a hand-made set of clicks', () => {
  let t: TestEngine;
  let A: ClickedLink;
  let B: ClickedLink;
  let other: { adminKey: string; link: string };
  let testModeKey: string;

  const get = (path: string, key?: string) => t.api('GET', `/api/v1${path}`, key ? { key } : {});
  const ny = 'timezone=America/New_York&start=2026-10-31&end=2026-11-03';

  before(async () => {
    t = await startTestEngine();
    const create = async (body: Record<string, unknown>, key = t.adminKey) => {
      const response = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/landing', ...body }, key });
      assert.equal(response.status, 201, response.text);
      return response.body;
    };
    A = clickedLink(await create({ slug: 'analytics-a' }), t.workspace.id);
    B = clickedLink(await create({ slug: 'analytics-b', tags: ['promo'] }), t.workspace.id);
    const clicks: HandMadeClick[] = [
      { at: '2026-10-31T23:50:00Z', link: A, visitor: 'v1', userAgent: DESKTOP_UA, referrer: 'https://news.example.com/a', country: 'US' },
      { at: '2026-11-01T00:10:00Z', link: A, visitor: 'v1', userAgent: DESKTOP_UA, referrer: 'https://news.example.com/b', country: 'US' },
      { at: '2026-11-01T05:30:00Z', link: A, visitor: 'v2', userAgent: IPHONE_UA, country: 'IN' },
      { at: '2026-11-01T06:30:00Z', link: A, visitor: 'v2', userAgent: IPHONE_UA, referrer: 'https://t.co/xyz', country: 'IN' },
      { at: '2026-11-01T06:40:00Z', link: A, visitor: 'bot', userAgent: BOT_UA, country: 'US' },
      { at: '2026-11-01T18:20:00Z', link: B, visitor: 'v3', userAgent: ANDROID_UA, referrer: 'https://news.example.com/c', country: 'DE' },
      { at: '2026-11-01T18:40:00Z', link: B, visitor: 'v3', userAgent: ANDROID_UA, country: 'DE' },
      { at: '2026-11-01T18:45:00Z', link: A, visitor: 'v3', userAgent: ANDROID_UA, country: 'DE' },
      { at: '2026-11-02T04:30:00Z', link: A, visitor: 'v1', userAgent: DESKTOP_UA, head: true },
      { at: '2026-11-02T04:59:00Z', link: B, visitor: 'v4', userAgent: DESKTOP_UA },
      { at: '2026-11-02T05:00:00Z', link: B, visitor: 'v4', userAgent: DESKTOP_UA },
    ];
    // Written in two batches, so uniques also hold across flushes.
    await recordClicks(t.engine, clicks.slice(0, 5));
    await recordClicks(t.engine, clicks.slice(5));

    // Another workspace with a link and a click at the same time; and a test-mode link of this workspace.
    const otherWorkspace = await t.createWorkspace('Other');
    const otherLink = await create({ slug: 'analytics-other' }, otherWorkspace.adminKey);
    await recordClicks(t.engine, [{ at: '2026-11-01T12:00:00Z', link: clickedLink(otherLink, otherWorkspace.workspace.id), visitor: 'o1', userAgent: DESKTOP_UA }]);
    other = { adminKey: otherWorkspace.adminKey, link: otherLink.id };
    testModeKey = await t.createKey(['admin'], { mode: 'test' });
    const testLink = await create({ slug: 'analytics-test-mode' }, testModeKey);
    await recordClicks(t.engine, [
      { at: '2026-11-01T12:00:00Z', link: clickedLink(testLink, t.workspace.id, 'test'), visitor: 't1', userAgent: DESKTOP_UA },
      { at: '2026-11-01T12:05:00Z', link: clickedLink(testLink, t.workspace.id, 'test'), visitor: 't2', userAgent: IPHONE_UA },
    ]);
  });
  after(() => t.stop());

  test('daily series in New York: the 25-hour day of the DST change is one bucket; bots and HEAD requests left out', async () => {
    const response = await get(`/analytics?${ny}`);
    assert.equal(response.status, 200, response.text);
    const { data, ...rest } = response.body;
    assert.deepEqual(rest, {
      group_by: 'timeseries',
      interval: 'day',
      timezone: 'America/New_York',
      start: '2026-10-31T04:00:00Z',
      end: '2026-11-03T05:00:00Z',
      totals: { clicks: 9, unique_visitors: 6 },
    });
    assert.equal(data.length, 3);
    assert.deepEqual(seriesOf(response), [
      ['2026-10-31T04:00:00Z', 2, 2],
      ['2026-11-01T04:00:00Z', 6, 4],
      ['2026-11-02T05:00:00Z', 1, 0],
    ]);
  });

  test('include_bots=true adds the crawler and the HEAD request, each a unique of its own', async () => {
    const response = await get(`/analytics?${ny}&include_bots=true`);
    assert.deepEqual(response.body.totals, { clicks: 11, unique_visitors: 8 });
    assert.deepEqual(seriesOf(response), [
      ['2026-10-31T04:00:00Z', 2, 2],
      ['2026-11-01T04:00:00Z', 8, 6],
      ['2026-11-02T05:00:00Z', 1, 0],
    ]);
    const devices = await get(`/analytics?${ny}&include_bots=true&group_by=device`);
    assert.deepEqual(groupsOf(devices), [
      ['desktop', 5, 4],
      ['mobile', 5, 3],
      ['bot', 1, 1],
    ]);
  });

  test('hourly series in New York shows both 01:00 hours of the night clocks fall back', async () => {
    const response = await get('/analytics?timezone=America/New_York&interval=hour&start=2026-11-01T00:00&end=2026-11-01T03:00');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.start, '2026-11-01T04:00:00Z');
    assert.equal(response.body.end, '2026-11-01T08:00:00Z');
    assert.deepEqual(seriesOf(response), [
      ['2026-11-01T04:00:00Z', 0, 0], // 00:00 EDT
      ['2026-11-01T05:00:00Z', 1, 1], // 01:00 EDT
      ['2026-11-01T06:00:00Z', 1, 0], // 01:00 EST (the bot at 06:40 is not counted)
      ['2026-11-01T07:00:00Z', 0, 0], // 02:00 EST
    ]);
  });

  test('daily series in Kolkata: days start at 18:30Z, so the hour 18:00–19:00Z is split between two days', async () => {
    const response = await get('/analytics?timezone=Asia/Kolkata&start=2026-11-01&end=2026-11-03');
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.timezone, 'Asia/Kolkata');
    assert.equal(response.body.start, '2026-10-31T18:30:00Z');
    assert.equal(response.body.end, '2026-11-02T18:30:00Z');
    assert.deepEqual(seriesOf(response), [
      ['2026-10-31T18:30:00Z', 5, 4],
      ['2026-11-01T18:30:00Z', 4, 2],
    ]);
    assert.deepEqual(response.body.totals, { clicks: 9, unique_visitors: 6 });
  });

  test('hourly series in Kolkata: buckets at half past every UTC hour', async () => {
    const response = await get('/analytics?timezone=Asia/Kolkata&interval=hour&start=2026-11-01T23:00&end=2026-11-02T01:00');
    assert.deepEqual(seriesOf(response), [
      ['2026-11-01T17:30:00Z', 1, 1], // 23:00 IST: click 6 (18:20Z)
      ['2026-11-01T18:30:00Z', 2, 1], // 00:00 IST: clicks 7 and 8
    ]);
  });

  test('a breakdown over a range cut inside an hour uses its quarter hours (Kolkata, one day)', async () => {
    const response = await get('/analytics?timezone=Asia/Kolkata&start=2026-11-02&end=2026-11-03&group_by=link');
    assert.equal(response.body.start, '2026-11-01T18:30:00Z');
    assert.deepEqual(response.body.totals, { clicks: 4, unique_visitors: 2 });
    assert.deepEqual(groupsOf(response), [
      [B.id, 3, 1],
      [A.id, 1, 1],
    ]);
  });

  test('UTC by default: uniques are per link and UTC day, so v1 counts on Oct 31 and again on Nov 1', async () => {
    const response = await get('/analytics?start=2026-10-31T00:00:00Z&end=2026-11-03T00:00:00Z');
    assert.equal(response.body.timezone, 'UTC');
    assert.deepEqual(seriesOf(response), [
      ['2026-10-31T00:00:00Z', 1, 1],
      ['2026-11-01T00:00:00Z', 6, 4],
      ['2026-11-02T00:00:00Z', 2, 1],
    ]);
  });

  test('weekly (Monday) and monthly buckets follow the zone’s calendar', async () => {
    const weeks = await get('/analytics?timezone=America/New_York&interval=week&start=2026-10-31&end=2026-11-03');
    assert.deepEqual(seriesOf(weeks), [
      ['2026-10-26T04:00:00Z', 8, 6], // Monday Oct 26 (EDT) to Monday Nov 2 (EST)
      ['2026-11-02T05:00:00Z', 1, 0],
    ]);
    const months = await get('/analytics?timezone=Asia/Kolkata&interval=month&start=2026-10-15&end=2026-11-15');
    assert.deepEqual(seriesOf(months), [
      ['2026-09-30T18:30:00Z', 0, 0],
      ['2026-10-31T18:30:00Z', 9, 6],
    ]);
  });

  test('group_by every dimension, most clicks first (ties by value, unknown first), with limit', async () => {
    const groups = async (by: string, extra = '') => {
      const response = await get(`/analytics?${ny}&group_by=${by}${extra}`);
      assert.equal(response.status, 200, response.text);
      assert.equal(response.body.group_by, by);
      assert.deepEqual(response.body.totals, { clicks: 9, unique_visitors: 6 }, by);
      return groupsOf(response);
    };
    assert.deepEqual(await groups('referrer'), [
      [null, 5, 3],
      ['news.example.com', 3, 3],
      ['t.co', 1, 0],
    ]);
    assert.deepEqual(await groups('country'), [
      ['DE', 3, 2],
      [null, 2, 1],
      ['IN', 2, 1],
      ['US', 2, 2],
    ]);
    assert.deepEqual(await groups('device'), [
      ['mobile', 5, 3],
      ['desktop', 4, 3],
    ]);
    assert.deepEqual(await groups('browser'), [
      ['Chrome', 7, 5],
      ['Mobile Safari', 2, 1],
    ]);
    assert.deepEqual(await groups('os'), [
      ['Windows', 4, 3],
      ['Android', 3, 2],
      ['iOS', 2, 1],
    ]);
    assert.deepEqual(await groups('link'), [
      [A.id, 5, 4],
      [B.id, 4, 2],
    ]);
    assert.deepEqual(await groups('country', '&limit=2'), [
      ['DE', 3, 2],
      [null, 2, 1],
    ]);
    // Unknown values keep no rollup rows of their own: their group is derived, and ranked like any other.
    assert.deepEqual(await groups('country', '&limit=1'), [['DE', 3, 2]]);
    assert.deepEqual(await groups('referrer', '&limit=1'), [[null, 5, 3]]);
  });

  test('one link, by link_id or by its own path; filters by tag and domain', async () => {
    const expected = [
      ['2026-10-31T04:00:00Z', 2, 2],
      ['2026-11-01T04:00:00Z', 3, 2],
      ['2026-11-02T05:00:00Z', 0, 0],
    ];
    assert.deepEqual(seriesOf(await get(`/analytics?${ny}&link_id=${A.id}`)), expected);
    const own = await get(`/links/${A.id}/analytics?${ny}`);
    assert.equal(own.status, 200, own.text);
    assert.deepEqual(seriesOf(own), expected);
    assert.deepEqual(groupsOf(await get(`/links/${A.id}/analytics?${ny}&group_by=referrer`)), [
      [null, 2, 2],
      ['news.example.com', 2, 2],
      ['t.co', 1, 0],
    ]);

    const promo = await get(`/analytics?${ny}&tag=promo`);
    assert.deepEqual(promo.body.totals, { clicks: 4, unique_visitors: 2 });
    assert.deepEqual(seriesOf(promo), [
      ['2026-10-31T04:00:00Z', 0, 0],
      ['2026-11-01T04:00:00Z', 3, 2],
      ['2026-11-02T05:00:00Z', 1, 0],
    ]);
    assert.deepEqual(groupsOf(await get(`/analytics?${ny}&tag=promo&group_by=link`)), [[B.id, 4, 2]]);
    assert.deepEqual(groupsOf(await get(`/analytics?${ny}&tag=promo&group_by=country`)), [
      [null, 2, 1],
      ['DE', 2, 1],
    ]);
    assert.deepEqual((await get(`/analytics?${ny}&tag=promo&link_id=${A.id}`)).body.totals, { clicks: 0, unique_visitors: 0 });
    assert.deepEqual((await get(`/analytics?${ny}&tag=nothing`)).body.totals, { clicks: 0, unique_visitors: 0 });

    assert.deepEqual((await get(`/analytics?${ny}&domain=${TEST_DOMAIN.toUpperCase()}`)).body.totals, { clicks: 9, unique_visitors: 6 });
    const elsewhere = await get(`/analytics?${ny}&domain=elsewhere.example`);
    assert.deepEqual(elsewhere.body.totals, { clicks: 0, unique_visitors: 0 });
    assert.deepEqual(seriesOf(elsewhere).map(([, clicks]) => clicks), [0, 0, 0], 'empty buckets are present');
    assert.deepEqual((await get(`/analytics?${ny}&domain=elsewhere.example&link_id=${A.id}`)).body.totals, { clicks: 0, unique_visitors: 0 });
    assert.deepEqual((await get(`/analytics?${ny}&domain=elsewhere.example&group_by=os`)).body.data, []);
  });

  test('isolation: another workspace’s link is a 404 and its clicks never show; test and live keys see their own mode', async () => {
    for (const path of [`/analytics?link_id=${other.link}`, `/links/${other.link}/analytics`, `/analytics/export?link_id=${other.link}`]) {
      const response = await get(path);
      assert.equal(response.status, 404, `${path}: ${response.text}`);
      assert.equal(response.body.error.code, 'not_found');
    }
    const unknown = await get('/links/lnk_00000000000000000000000000/analytics');
    assert.equal(unknown.status, 404);

    const theirs = await get('/analytics?start=2026-11-01&end=2026-11-02', other.adminKey);
    assert.deepEqual(theirs.body.totals, { clicks: 1, unique_visitors: 1 });
    const mine = await get('/analytics?start=2026-11-01&end=2026-11-02');
    assert.deepEqual(mine.body.totals, { clicks: 6, unique_visitors: 4 }, 'live: neither the other workspace nor test mode');
    const testMode = await get('/analytics?start=2026-11-01&end=2026-11-02&group_by=link', testModeKey);
    assert.deepEqual(testMode.body.totals, { clicks: 2, unique_visitors: 2 });
    assert.equal(testMode.body.data.length, 1);
    assert.equal((await get(`/links/${A.id}/analytics`, testModeKey)).status, 404, 'a live link is not found with a test key');
  });

  test('analytics:read is required', async () => {
    const linksOnly = await t.createKey(['links:read']);
    for (const path of ['/analytics', `/links/${A.id}/analytics`, '/analytics/export']) {
      const response = await get(path, linksOnly);
      assert.equal(response.status, 403, path);
      assert.equal(response.body.error.code, 'forbidden');
    }
    const reader = await t.createKey(['analytics:read']);
    assert.equal((await get(`/analytics?${ny}`, reader)).status, 200);
  });

  test('export streams the raw clicks of the exact range as CSV or NDJSON, oldest first', async () => {
    const csv = await get('/analytics/export?format=csv&start=2026-11-01T00:00:00Z&end=2026-11-02T05:00:00Z');
    assert.equal(csv.status, 200, csv.text);
    assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="clicks-2026-11-01-2026-11-02\.csv"/);
    const lines = csv.text.trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,timestamp,link_id,domain,slug,referrer,referrer_host,country,device,browser,os,bot,head,rule_id,variant');
    assert.equal(lines.length, 1 + 7, 'clicks 2, 3, 4, 6, 7, 8 and 10: no bot, no HEAD, 05:00 excluded');
    assert.match(lines[1], new RegExp(`^clk_[0-9a-z]{26},2026-11-01T00:10:00.000Z,${A.id},${TEST_DOMAIN},analytics-a,https://news.example.com/b,news.example.com,US,desktop,Chrome,Windows,false,false,,$`));

    const ndjson = await get(`/analytics/export?format=ndjson&start=2026-10-31&end=2026-11-03&include_bots=true&link_id=${A.id}`);
    assert.match(ndjson.headers.get('content-type') ?? '', /^application\/x-ndjson/);
    const rows = ndjson.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(
      rows.map((row) => [row.timestamp, row.device, row.bot, row.head]),
      [
        ['2026-10-31T23:50:00.000Z', 'desktop', false, false],
        ['2026-11-01T00:10:00.000Z', 'desktop', false, false],
        ['2026-11-01T05:30:00.000Z', 'mobile', false, false],
        ['2026-11-01T06:30:00.000Z', 'mobile', false, false],
        ['2026-11-01T06:40:00.000Z', 'bot', true, false],
        ['2026-11-01T18:45:00.000Z', 'mobile', false, false],
        ['2026-11-02T04:30:00.000Z', 'desktop', false, true],
      ],
    );
    assert.deepEqual(Object.keys(rows[0]), ['id', 'timestamp', 'link_id', 'domain', 'slug', 'referrer', 'referrer_host', 'country', 'device', 'browser', 'os', 'bot', 'head', 'rule_id', 'variant']);
    assert.doesNotMatch(ndjson.text, /127\.0\.0\.1|visitor/);

    const tagged = await get('/analytics/export?format=ndjson&start=2026-10-31&end=2026-11-03&tag=promo');
    assert.equal(tagged.text.trimEnd().split('\n').length, 4);
    const empty = await get('/analytics/export?start=2026-10-31&end=2026-11-03&domain=elsewhere.example');
    assert.equal(empty.text, 'id,timestamp,link_id,domain,slug,referrer,referrer_host,country,device,browser,os,bot,head,rule_id,variant\r\n');
  });

  test('an export read two stored rows at a time gives the same clicks as one read: slices skip other owners\' rows', async () => {
    const owner = { workspaceId: t.workspace.id, mode: 'live' as const };
    const store = new AnalyticsStore(t.parts.db);
    const read = async (slice: number, filters: ClickSelection) => {
      const ids: unknown[] = [];
      for await (const click of new ClickExport(store, new LinkStore(t.parts.db), slice).clicks(owner, filters, Date.parse('2026-10-31'), Date.parse('2026-11-03'))) ids.push(click.id);
      return ids;
    };
    // 14 stored clicks in the range: this workspace's 11 live ones, the other workspace's and the 2 test-mode ones.
    for (const filters of [{ includeBots: true }, { includeBots: false }, { includeBots: true, linkId: B.id }, { includeBots: false, tag: 'promo' }]) {
      const whole = await read(1000, filters);
      assert.ok(whole.length > 0);
      assert.deepEqual(whole, [...whole].sort(), 'oldest first');
      assert.deepEqual(await read(2, filters), whole, JSON.stringify(filters));
      assert.deepEqual(await read(1, filters), whole, JSON.stringify(filters));
    }
    assert.equal((await read(2, { includeBots: true })).length, 11);
  });
});
