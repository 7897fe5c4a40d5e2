import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { ANDROID_UA, BOT_UA, DESKTOP_UA, IPHONE_UA } from '../../support/redirect-client';
import { routingHelpers } from './support';

const FIREFOX_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

/** HH:MM of `at` in `zone`. */
const clockIn = (zone: string, at: number) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
const weekdayIn = (zone: string, at: number) => new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short' }).format(at).toLowerCase().slice(0, 3);
/**
 * A zone (Kolkata, else New York: 9½–10½ hours apart) where `at` is an hour or more from midnight, so a window of a few
 * minutes around it neither crosses midnight (which one time rule cannot express) nor changes the day while the test runs.
 */
const zoneAwayFromMidnight = (at: number) =>
  ['Asia/Kolkata', 'America/New_York'].find((zone) => clockIn(zone, at) >= '01:00' && clockIn(zone, at) < '23:00') as string;

describe('smart routing: rules pick the destination, first match wins', () => {
  let t: TestEngine;
  const { createLink, addRule, go } = routingHelpers(() => t);

  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('each condition type routes on real request headers, and no match falls back to the link', async () => {
    const link = await createLink({ utm_source: 'news' });
    await addRule(link.id, { conditions: [{ type: 'country', values: ['de', 'AT'] }], url: 'https://example.com/dach' });
    await addRule(link.id, { conditions: [{ type: 'query', name: 'promo', value: 'spring' }], url: 'https://example.com/spring' });
    await addRule(link.id, { conditions: [{ type: 'query', name: 'ref' }], url: 'https://example.com/has-ref' });
    await addRule(link.id, { conditions: [{ type: 'language', values: ['fr'] }], url: 'https://example.com/fr' });
    await addRule(link.id, { conditions: [{ type: 'referrer', values: ['t.co'] }], url: 'https://example.com/from-x' });
    await addRule(link.id, { conditions: [{ type: 'bot', value: true }], url: 'https://example.com/bots' });
    await addRule(link.id, { conditions: [{ type: 'os', values: ['ios'] }], url: 'https://example.com/ios' });
    await addRule(link.id, { conditions: [{ type: 'device', values: ['mobile'] }, { type: 'browser', values: ['Chrome'] }], url: 'https://example.com/mobile-chrome' });
    await addRule(link.id, { conditions: [{ type: 'browser', values: ['Chrome'] }], url: 'https://example.com/chrome' });

    const cases: Array<[string, Parameters<typeof go>[1], string]> = [
      ['country header', { headers: { 'cf-ipcountry': 'AT', 'user-agent': DESKTOP_UA } }, 'https://example.com/dach?utm_source=news'],
      ['query equals', { query: 'promo=spring', headers: { 'user-agent': DESKTOP_UA } }, 'https://example.com/spring?utm_source=news&promo=spring'],
      ['query equals, other value: next rule (present)', { query: 'promo=autumn&ref=x', headers: { 'user-agent': DESKTOP_UA } }, 'https://example.com/has-ref?utm_source=news&promo=autumn&ref=x'],
      ['language by q-value', { headers: { 'accept-language': 'de;q=0.5, fr-CH;q=0.9, en;q=0.8', 'user-agent': DESKTOP_UA } }, 'https://example.com/fr?utm_source=news'],
      ['language not preferred', { headers: { 'accept-language': 'en-US, fr;q=0.9', 'user-agent': FIREFOX_UA } }, 'https://example.com/default?utm_source=news'],
      ['referrer host', { headers: { referer: 'https://t.co/abc', 'user-agent': DESKTOP_UA } }, 'https://example.com/from-x?utm_source=news'],
      ['bot', { headers: { 'user-agent': BOT_UA } }, 'https://example.com/bots?utm_source=news'],
      ['os', { headers: { 'user-agent': IPHONE_UA } }, 'https://example.com/ios?utm_source=news'],
      ['device and browser', { headers: { 'user-agent': ANDROID_UA } }, 'https://example.com/mobile-chrome?utm_source=news'],
      ['browser', { headers: { 'user-agent': DESKTOP_UA } }, 'https://example.com/chrome?utm_source=news'],
      ['no match', { headers: { 'user-agent': FIREFOX_UA, 'cf-ipcountry': 'US' } }, 'https://example.com/default?utm_source=news'],
    ];
    for (const [name, options, location] of cases) {
      const response = await go(link.slug, options);
      assert.equal(response.status, 302, name);
      assert.equal(response.location, location, name);
    }
  });

  test('a time window around now matches in its zone, on its days; one that ended does not', async () => {
    const now = Date.now();
    const zone = zoneAwayFromMidnight(now);
    const link = await createLink();
    const start = clockIn(zone, now - 60_000);
    const end = clockIn(zone, now + 120_000);
    const otherDays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].filter((day) => day !== weekdayIn(zone, now));
    await addRule(link.id, { conditions: [{ type: 'time', start, end, timezone: zone, days: otherDays }], url: 'https://example.com/wrong-day' });
    await addRule(link.id, { conditions: [{ type: 'time', start: new Date(now - 3_600_000).toISOString(), end: new Date(now - 60_000).toISOString() }], url: 'https://example.com/ended' });
    await addRule(link.id, { conditions: [{ type: 'time', start, end, timezone: zone, days: [weekdayIn(zone, now)] }], url: 'https://example.com/now' });
    // The same window as local dates and times in the zone, days spelled out.
    const local = (at: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at).replace(' ', 'T');
    const fullDay = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'long' }).format(now);
    const other = await createLink();
    await addRule(other.id, { conditions: [{ type: 'time', start: local(now - 120_000), end: local(now + 120_000), timezone: zone, days: [fullDay] }], url: 'https://example.com/local' });
    assert.equal((await go(other.slug)).location, 'https://example.com/local');
    assert.equal((await go(link.slug)).location, 'https://example.com/now');
  });

  test('iOS/Android targets apply only when no rule matches; rules see the short URL query and forward it', async () => {
    const link = await createLink({ ios_target: 'https://apps.example.com/ios' });
    await addRule(link.id, { conditions: [{ type: 'query', name: 'campaign', value: 'x' }], url: 'https://example.com/campaign?keep=1' });
    assert.equal((await go(link.slug, { headers: { 'user-agent': IPHONE_UA } })).location, 'https://apps.example.com/ios');
    assert.equal((await go(link.slug, { query: 'campaign=x', headers: { 'user-agent': IPHONE_UA } })).location, 'https://example.com/campaign?keep=1&campaign=x');
  });

  test('CRUD and reorder: a cached link routes by the new rules at once', async () => {
    const link = await createLink();
    const headers = { 'cf-ipcountry': 'JP' };
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/default');
    const jp = await addRule(link.id, { conditions: [{ type: 'country', values: ['JP'] }], url: 'https://example.com/jp' });
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/jp');
    const all = await addRule(link.id, { conditions: [{ type: 'bot', value: false }], url: 'https://example.com/people', position: 0 });
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/people');

    const last = await addRule(link.id, { conditions: [{ type: 'query', name: 'never' }], url: 'https://example.com/never', position: 99 });
    assert.deepEqual([jp.position, all.position, last.position], [0, 0, 2], 'each answer gives the position the rule got (past the end: last)');

    const listed = await t.api('GET', `/api/v1/links/${link.id}/rules`);
    assert.deepEqual(listed.body.data.map((rule: { id: string; position: number }) => [rule.id, rule.position]), [[all.id, 0], [jp.id, 1], [last.id, 2]]);
    const reordered = await t.api('POST', `/api/v1/links/${link.id}/rules/reorder`, { body: { rule_ids: [jp.id, all.id, last.id] } });
    assert.equal(reordered.status, 200);
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/jp');

    const patched = await t.api('PATCH', `/api/v1/links/${link.id}/rules/${jp.id}`, { body: { url: 'https://example.com/japan' } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.url, 'https://example.com/japan');
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/japan');
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/rules/${jp.id}`)).body.url, 'https://example.com/japan');

    assert.equal((await t.api('DELETE', `/api/v1/links/${link.id}/rules/${jp.id}`)).status, 200);
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/people');
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/rules/${jp.id}`)).status, 404);

    const replaced = await t.api('PUT', `/api/v1/links/${link.id}/rules`, { body: { rules: [] } });
    assert.deepEqual(replaced.body.data, []);
    assert.equal((await go(link.slug, { headers })).location, 'https://example.com/default');
  });

  test('link.updated events carry the rules and the variants; the audit log names each change', async () => {
    const hook = await t.api('POST', '/api/v1/webhooks', { body: { url: 'https://hooks.example.com/mask', events: ['link.updated'] } });
    assert.equal(hook.status, 201, hook.text);
    const link = await createLink();
    const rule = await addRule(link.id, { conditions: [{ type: 'country', values: ['FR'] }], url: 'https://example.com/fr' });
    await t.api('PATCH', `/api/v1/links/${link.id}`, { body: { variants: [{ url: 'https://example.com/a', weight: 50 }, { url: 'https://example.com/b', weight: 50 }] } });
    const events = (await t.parts.db('events').where({ type: 'link.updated' }).orderBy('id')).map((row: { payload: string }) => JSON.parse(row.payload));
    const ofLink = events.filter((event: { data: { id: string } }) => event.data.id === link.id);
    assert.equal(ofLink.length, 2);
    assert.deepEqual(ofLink[0].data.rules.map((r: { id: string }) => r.id), [rule.id]);
    assert.deepEqual(ofLink[1].data.rules.map((r: { id: string }) => r.id), [rule.id]);
    assert.equal(ofLink[1].data.variants.length, 2);
    const audit = await t.api('GET', `/api/v1/audit-logs?resource_id=${link.id}`);
    assert.deepEqual(audit.body.data.map((entry: { action: string }) => entry.action).sort(), ['link.created', 'link.updated', 'rule.created']);
  });

  test('another workspace’s link and rules answer 404; read keys cannot write rules', async () => {
    const link = await createLink();
    const rule = await addRule(link.id, { conditions: [{ type: 'bot', value: true }], url: 'https://example.com/x' });
    const other = await t.createWorkspace('Other');
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/rules`, { key: other.adminKey })).status, 404);
    assert.equal((await t.api('DELETE', `/api/v1/links/${link.id}/rules/${rule.id}`, { key: other.adminKey })).status, 404);
    const testKey = await t.createKey(['links:read', 'links:write'], { mode: 'test' });
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/rules`, { key: testKey })).status, 404, 'live links are invisible to test keys');
    const reader = await t.createKey(['links:read']);
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/rules`, { key: reader })).status, 200);
    assert.equal((await t.api('POST', `/api/v1/links/${link.id}/rules`, { key: reader, body: { conditions: [{ type: 'bot' }], url: 'https://example.com/y' } })).status, 403);
  });

  test('deleting a link deletes its rules', async () => {
    const link = await createLink();
    await addRule(link.id, { conditions: [{ type: 'bot' }], url: 'https://example.com/x' });
    assert.equal((await t.api('DELETE', `/api/v1/links/${link.id}`)).status, 200);
    assert.equal((await t.parts.db('link_rules').where({ link_id: link.id })).length, 0);
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/rules`)).status, 404);
  });
});
