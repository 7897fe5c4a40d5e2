import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pino from 'pino';
import { VisitorHasher, type RecordedClick } from '../../../engine/clicks';
import { clickStoreFor, countByLink } from '../../../engine/store/clicks';
import { UserAgentClassifier } from '../../../engine/clicks/user-agents';
import { SecretRef } from '../../../engine/domain/engine-secret';
import { newId } from '../../../engine/support/ids';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { subscribeReceiver } from '../../support/webhook-receiver';
import { createLink } from '../../support/link-fixtures';
import { writeCountryDatabase } from '../../support/mmdb';
import { takeTableOffline } from '../../support/outage';
import { ANDROID_UA, BOT_UA, DESKTOP_UA, IPHONE_UA, visit, type VisitOptions } from '../../support/redirect-client';

/** A stored click row back in the shape the writer takes. */
const toRecorded = (row: Record<string, any>): RecordedClick => ({
  id: row.id,
  linkId: row.link_id,
  workspaceId: row.workspace_id,
  mode: row.mode,
  at: Number(row.created_at),
  url: 'https://example.com/',
  shortUrl: '',
  domain: TEST_DOMAIN,
  slug: '',
  referrer: row.referrer,
  referrerHost: row.referrer_host,
  country: row.country,
  device: row.device,
  browser: row.browser,
  os: row.os,
  bot: Boolean(row.is_bot),
  head: Boolean(row.is_head),
  visitorHash: row.visitor_hash,
  counted: true,
});

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i === 100) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('click capture', () => {
  let t: TestEngine;
  const go = (path: string, options: VisitOptions = {}) => visit(t.baseUrl, path, { host: TEST_DOMAIN, ...options });
  const rowsOf = async (linkId: string) => {
    await t.parts.clicks.flush();
    return t.parts.db('clicks').where({ link_id: linkId }).orderBy('id');
  };
  const clicksCounter = async (linkId: string) => Number((await t.parts.db('links').where({ id: linkId }).first()).clicks);

  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
  });
  after(() => t.stop());

  test('a click row holds link, workspace, time, referrer, country, device, browser, OS and a visitor hash, never the address', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    const before = Date.now();
    await go(link.path, { headers: { 'user-agent': IPHONE_UA, referer: 'https://news.example.com/story?id=1', 'cf-ipcountry': 'de' } });
    const [row] = await rowsOf(link.id);
    assert.match(row.id, /^clk_[0-9a-z]{26}$/);
    assert.equal(row.workspace_id, t.workspace.id);
    assert.equal(row.mode, 'live');
    assert.ok(Number(row.created_at) >= before && Number(row.created_at) <= Date.now());
    assert.equal(row.referrer, 'https://news.example.com/story?id=1');
    assert.equal(row.referrer_host, 'news.example.com');
    assert.equal(row.country, 'DE');
    assert.equal(row.device, 'mobile');
    assert.equal(row.browser, 'Mobile Safari');
    assert.equal(row.os, 'iOS');
    assert.equal(Boolean(row.is_bot), false);
    assert.equal(Boolean(row.is_head), false);
    assert.match(row.visitor_hash, /^[0-9a-f]{64}$/);
    assert.doesNotMatch(JSON.stringify(row), /127\.0\.0\.1|::1/, 'no raw address');
  });

  test('one visitor keeps one hash; another user agent is another visitor', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    await go(link.path, { headers: { 'user-agent': DESKTOP_UA } });
    await go(link.path, { headers: { 'user-agent': DESKTOP_UA } });
    await go(link.path, { headers: { 'user-agent': ANDROID_UA } });
    const rows = await rowsOf(link.id);
    const desktop = rows.filter((r: { device: string }) => r.device === 'desktop');
    const android = rows.filter((r: { os: string }) => r.os === 'Android');
    assert.equal(desktop.length, 2);
    assert.equal(android.length, 1);
    assert.equal(desktop[0].visitor_hash, desktop[1].visitor_hash);
    assert.notEqual(desktop[0].visitor_hash, android[0].visitor_hash);
  });

  test('bots and HEAD requests are recorded and flagged, but not counted', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    await go(link.path, { headers: { 'user-agent': DESKTOP_UA } });
    await go(link.path, { headers: { 'user-agent': BOT_UA } });
    await go(link.path, { headers: { 'user-agent': 'curl/8.5.0' } });
    await go(link.path, { method: 'HEAD', headers: { 'user-agent': DESKTOP_UA } });
    const rows = await rowsOf(link.id);
    assert.equal(rows.length, 4);
    const flags = (r: { is_bot: unknown; is_head: unknown }) => `${r.is_bot ? 'bot' : 'person'}/${r.is_head ? 'HEAD' : 'GET'}`;
    assert.deepEqual(rows.map(flags).sort(), ['bot/GET', 'bot/GET', 'person/GET', 'person/HEAD']);
    assert.ok(rows.filter((r: { is_bot: unknown }) => Boolean(r.is_bot)).every((r: { device: string }) => r.device === 'bot'));
    assert.equal(await clicksCounter(link.id), 1);
  });

  test('each counted click enqueues one click.recorded event, in the same transaction as the click', async (ctx) => {
    // The outbox keeps only events someone subscribes to.
    const receiver = await subscribeReceiver(t);
    ctx.after(() => receiver.close());
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, utm_source: 'x' });
    await go(`${link.path}?ref=1`, { headers: { 'user-agent': DESKTOP_UA, referer: 'https://ref.example/', 'cf-ipcountry': 'FR' } });
    await go(link.path, { headers: { 'user-agent': BOT_UA } });
    const click = (await rowsOf(link.id)).find((row: { is_bot: unknown }) => !row.is_bot);
    const events = (await t.parts.db('events').where({ type: 'click.recorded', workspace_id: t.workspace.id }))
      .map((row: { payload: string }) => JSON.parse(row.payload))
      .filter((message: { data: { link_id: string } }) => message.data.link_id === link.id);
    assert.equal(events.length, 1, 'the bot click has no event');
    assert.match(events[0].id, /^msg_/);
    assert.deepEqual(events[0].data, {
      click_id: click.id,
      link_id: link.id,
      short_url: `https://${TEST_DOMAIN}/${link.slug}`,
      url: 'https://example.com/landing?utm_source=x&ref=1',
      slug: link.slug,
      domain: TEST_DOMAIN,
      timestamp: new Date(Number(click.created_at)).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      referrer: 'https://ref.example/',
      country: 'FR',
      device: 'desktop',
      browser: 'Chrome',
      os: 'Windows',
    });
  });

  test('a flush that fails in a listener rolls its batch back; the batch is retried once it succeeds, without duplicates', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    const { db, clicks } = t.parts;
    const rolledUp = async () => Number((await db('link_click_rollups').where({ link_id: link.id, dimension: 'all' }).sum({ n: 'clicks' }))[0].n ?? 0);
    const bringBack = await takeTableOffline(db, 'link_click_rollups');
    try {
      for (let i = 0; i < 3; i++) await go(link.path, { headers: { 'user-agent': DESKTOP_UA } });
      await assert.rejects(clicks.flush(), /link_click_rollups/);
      assert.equal(clicks.buffered, 3, 'the batch waits for its retry');
    } finally {
      await bringBack();
    }
    assert.equal((await db('clicks').where({ link_id: link.id })).length, 0, 'rolled back');
    assert.equal(await clicksCounter(link.id), 0);
    assert.equal(await rolledUp(), 0);
    const rows = await rowsOf(link.id);
    assert.equal(rows.length, 3);
    assert.equal(await clicksCounter(link.id), 3);
    assert.equal(await rolledUp(), 3);
  });

  test('a batch written twice (a commit whose answer was lost, then a retry) is stored and counted once', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    await go(link.path, { headers: { 'user-agent': DESKTOP_UA } });
    await t.parts.clicks.flush();
    const [row] = await t.parts.db('clicks').where({ link_id: link.id });
    const writer = clickStoreFor(t.parts.db);
    const stored = toRecorded(row);
    const fresh = { ...stored, id: newId('clk') };
    const again = await t.parts.db.transaction(async (trx) => {
      const inserted = await writer.insert(trx, [stored, fresh]);
      await writer.increment(trx, countByLink(inserted));
      return inserted;
    });
    assert.deepEqual(again.map((c) => c.id), [fresh.id]);
    assert.equal(await clicksCounter(link.id), 2);
  });

  test('the counter update answers the totals of capped links only (the only ones the recorder reads)', async () => {
    const capped = await createLink(t.engine, { workspaceId: t.workspace.id, max_clicks: 100 });
    const plain = await createLink(t.engine, { workspaceId: t.workspace.id });
    const totals = await t.parts.db.transaction((trx) => clickStoreFor(t.parts.db).increment(trx, new Map([[capped.id, 2], [plain.id, 3]]), new Set([capped.id])));
    assert.deepEqual([...totals], [[capped.id, 2]]);
    assert.deepEqual([await clicksCounter(capped.id), await clicksCounter(plain.id)], [2, 3], 'both counters updated');
  });

  test('max_clicks allows exactly that many counted visits, even when they arrive together', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, max_clicks: 5 });
    const responses = await Promise.all(Array.from({ length: 12 }, () => go(link.path, { headers: { 'user-agent': DESKTOP_UA } })));
    assert.equal(responses.filter((r) => r.status === 302).length, 5);
    assert.equal(responses.filter((r) => r.status === 410).length, 7);
    assert.match(responses.find((r) => r.status === 410)?.body ?? '', /reached its click limit/);
    await t.parts.clicks.flush();
    assert.equal(await clicksCounter(link.id), 5);
  });
});

describe('click capture with a long flush interval and small batches', () => {
  let t: TestEngine;
  const go = (path: string, options: VisitOptions = {}) =>
    visit(t.baseUrl, path, { host: TEST_DOMAIN, ...options, headers: { 'user-agent': DESKTOP_UA, ...options.headers } });
  const countRows = async (linkId: string) => (await t.parts.db('clicks').where({ link_id: linkId })).length;

  before(async () => {
    t = await startTestEngine({ clickFlushMs: 60_000, clickBatchSize: 5 });
  });
  after(() => t.stop());

  test('clicks wait in the buffer, not on the request path, until a batch fills', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    for (let i = 0; i < 3; i++) assert.equal((await go(link.path)).status, 302);
    assert.equal(await countRows(link.id), 0);
    assert.equal(t.parts.clicks.buffered, 3);
    for (let i = 0; i < 2; i++) await go(link.path);
    assert.equal(await eventually(() => countRows(link.id), (n) => n === 5), 5, 'a full batch is written without waiting for the timer');
  });

  test('max_clicks counts clicks still in the buffer; bots and HEAD requests do not use it up', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id, max_clicks: 3 });
    await go(link.path, { headers: { 'user-agent': BOT_UA } });
    await go(link.path, { method: 'HEAD' });
    for (let i = 0; i < 3; i++) assert.equal((await go(link.path)).status, 302);
    assert.equal((await go(link.path)).status, 410);
    assert.equal((await go(link.path, { method: 'HEAD' })).status, 410);
    assert.equal((await go(link.path, { headers: { 'user-agent': BOT_UA } })).status, 410);
    await t.parts.clicks.flush();
    const stored = await t.parts.db('links').where({ id: link.id }).first();
    assert.equal(Number(stored.clicks), 3);
    t.parts.redirects.cache.clear();
    assert.equal((await go(link.path)).status, 410, 'still capped after reloading the link');
  });
});

describe('click capture while the database refuses writes', () => {
  let t: TestEngine;
  const logged: string[] = [];

  before(async () => {
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
    t = await startTestEngine({ clickFlushMs: 60_000, clickBatchSize: 5, logger });
  });
  after(() => t.stop());

  test('clicks wait through the outage and are written once it ends; retries back off instead of following every click', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    const { db, clicks } = t.parts;
    const bringBack = await takeTableOffline(db, 'clicks');
    try {
      for (let i = 0; i < 40; i++) {
        assert.equal((await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA } })).status, 302);
      }
      const failed = () => logged.filter((line) => line.includes('click flush failed')).length;
      assert.ok((await eventually(async () => failed(), (n) => n >= 1)) >= 1, 'the first full batch was tried during the outage');
      assert.equal(clicks.buffered, 40);
    } finally {
      await bringBack();
    }
    await clicks.flush();
    assert.equal((await db('clicks').where({ link_id: link.id })).length, 40);
    assert.equal(Number((await db('links').where({ id: link.id }).first()).clicks), 40);
    const failures = logged.filter((line) => line.includes('click flush failed')).length;
    assert.ok(failures >= 1 && failures < 10, `${failures} failed attempts for 40 clicks`);
  });
});

describe('country from a MaxMind database', () => {
  let t: TestEngine;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-geoip-'));
    const database = path.join(dir, 'country.mmdb');
    writeCountryDatabase(database, { '127.0.0.0/8': 'NZ' });
    t = await startTestEngine({ geoipDatabase: database, trustProxy: 'loopback' });
  });
  after(async () => {
    await t.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the client address is looked up when no country header is present; the header wins when it is', async () => {
    const link = await createLink(t.engine, { workspaceId: t.workspace.id });
    await visit(t.baseUrl, link.path, { host: TEST_DOMAIN });
    await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'cf-ipcountry': 'JP' } });
    await visit(t.baseUrl, link.path, { host: TEST_DOMAIN, headers: { 'x-forwarded-for': '8.8.8.8' } });
    await t.parts.clicks.flush();
    const rows = await t.parts.db('clicks').where({ link_id: link.id }).orderBy('id');
    assert.deepEqual(rows.map((r: { country: string | null }) => String(r.country)).sort(), ['JP', 'NZ', 'null']);
  });

  test('a missing database file stops start-up with its path', async () => {
    await assert.rejects(startTestEngine({ geoipDatabase: path.join(dir, 'missing.mmdb') }), /MASK_GEOIP_DB: cannot open .*missing\.mmdb/);
  });
});

describe('click enrichment units', () => {
  test('visitor hashes rotate daily: same visitor, same day, same hash; next day, another', () => {
    const secret = new SecretRef();
    secret.set('s'.repeat(40));
    const hasher = new VisitorHasher(secret);
    const morning = Date.UTC(2026, 10, 21, 8);
    const evening = Date.UTC(2026, 10, 21, 23, 59);
    const tomorrow = Date.UTC(2026, 10, 22, 0, 1);
    assert.equal(hasher.hash('203.0.113.7', DESKTOP_UA, morning), hasher.hash('203.0.113.7', DESKTOP_UA, evening));
    assert.notEqual(hasher.hash('203.0.113.7', DESKTOP_UA, morning), hasher.hash('203.0.113.7', DESKTOP_UA, tomorrow));
    assert.notEqual(hasher.hash('203.0.113.7', DESKTOP_UA, morning), hasher.hash('203.0.113.8', DESKTOP_UA, morning));
    hasher.hash('203.0.113.7', DESKTOP_UA, tomorrow);
    assert.equal(hasher.hash('203.0.113.7', DESKTOP_UA, morning), new VisitorHasher(secret).hash('203.0.113.7', DESKTOP_UA, morning), 'remembered hashes follow the day');
    const other = new SecretRef();
    other.set('o'.repeat(40));
    assert.notEqual(new VisitorHasher(other).hash('203.0.113.7', DESKTOP_UA, morning), hasher.hash('203.0.113.7', DESKTOP_UA, morning));
  });

  test('user agents map to device types, browsers, systems and bot flags', () => {
    const classifier = new UserAgentClassifier();
    const ipad = 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
    assert.deepEqual(classifier.classify(IPHONE_UA), { device: 'mobile', browser: 'Mobile Safari', os: 'iOS', bot: false });
    assert.equal(classifier.classify(ipad).device, 'tablet');
    assert.deepEqual(classifier.classify(DESKTOP_UA), { device: 'desktop', browser: 'Chrome', os: 'Windows', bot: false });
    assert.equal(classifier.classify(BOT_UA).device, 'bot');
    assert.equal(classifier.classify(BOT_UA).bot, true);
    assert.deepEqual(classifier.classify(''), { device: 'unknown', browser: null, os: null, bot: false });
  });
});
