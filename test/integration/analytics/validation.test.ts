import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';

describe('click analytics: every kind of bad input is a 422 naming its field', () => {
  let t: TestEngine;
  let linkId: string;
  const get = (path: string) => t.api('GET', `/api/v1${path}`);

  before(async () => {
    t = await startTestEngine();
    const created = await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/' } });
    linkId = created.body.id;
  });
  after(() => t.stop());

  const cases: Array<[query: string, fields: string[]]> = [
    ['start=2026-11-02T00:00:00Z&end=2026-11-01T00:00:00Z', ['end']],
    ['start=2026-11-01T00:00:00Z&end=2026-11-01T00:00:00Z', ['end']],
    ['start=2099-01-01', ['end']], // end defaults to now, before this start
    ['start=1999-12-31T23:59:59Z&end=2000-01-02T00:00:00Z', ['start']],
    ['start=2026-01-01&end=2100-01-02', ['end']],
    ['start=0001-01-01&end=9999-12-31', ['start', 'end']],
    ['start=yesterday', ['start']],
    ['start=2026-02-30', ['start']],
    ['end=2026-11-01T25:00:00Z', ['end']],
    ['start=2026-11-01T00:00:00+5', ['start']],
    ['start=1730419200000', ['start']],
    ['start=2026-11-01&start=2026-11-02', ['start']],
    ['timezone=Mars/Olympus_Mons', ['timezone']],
    ['timezone=', ['timezone']],
    ['timezone=../../etc/passwd', ['timezone']],
    ['timezone=%2B05:30', ['timezone']],
    ['group_by=city', ['group_by']],
    ['group_by=', ['group_by']],
    ['interval=minute', ['interval']],
    ['interval=hour&start=2026-10-01T00:00:00Z&end=2026-11-01T00:00:01Z', ['interval']],
    ['interval=day&start=2024-01-01&end=2026-11-01', ['interval']],
    ['interval=week&start=2020-01-01&end=2026-11-01', ['interval']],
    ['interval=month&start=2000-01-01&end=2026-11-01', ['interval']],
    ['limit=0', ['limit']],
    ['limit=1001', ['limit']],
    ['limit=ten', ['limit']],
    ['limit=2.5', ['limit']],
    ['include_bots=yes', ['include_bots']],
    ['include_bots=1', ['include_bots']],
    ['link_id=abc', ['link_id']],
    ['link_id=wh_00000000000000000000000000', ['link_id']],
    [`tag=${'x'.repeat(51)}`, ['tag']],
    ['domain=%00bad', ['domain']],
    ['unknown=1', ['unknown']],
    ['group_by=city&interval=minute&timezone=Nowhere&limit=0', ['group_by', 'interval', 'timezone', 'limit']],
  ];

  for (const [query, fields] of cases) {
    test(`GET /analytics?${query} → 422 on ${fields.join(', ')}`, async () => {
      assertValidation(await get(`/analytics?${query}`), fields);
    });
  }

  test('the same rules on a link’s own analytics; a different link_id in its query is refused', async () => {
    assertValidation(await get(`/links/${linkId}/analytics?interval=hour&start=2026-01-01&end=2026-03-01`), ['interval']);
    assertValidation(await get(`/links/${linkId}/analytics?link_id=lnk_00000000000000000000000000`), ['link_id']);
    assert.equal((await get(`/links/${linkId}/analytics?link_id=${linkId}`)).status, 200);
    assert.equal((await get('/links/not-an-id/analytics')).status, 404);
  });

  test('the export: format, range, time zone and unknown fields (interval and group_by are not export parameters)', async () => {
    assertValidation(await get('/analytics/export?format=xml'), ['format']);
    assertValidation(await get('/analytics/export?start=2026-11-02&end=2026-11-01'), ['end']);
    assertValidation(await get('/analytics/export?timezone=Nowhere'), ['timezone']);
    assertValidation(await get('/analytics/export?group_by=country&interval=day'), ['group_by', 'interval']);
    assertValidation(await get('/analytics/export?include_bots=maybe'), ['include_bots']);
  });

  test('valid edge cases pass: upper-case zone names, a 31-day hourly series, a date-only end, the largest limit', async () => {
    const utc = await get('/analytics?timezone=utc');
    assert.equal(utc.status, 200, utc.text);
    assert.equal(utc.body.timezone, 'UTC');
    assert.equal(utc.body.data.length, 31, 'last 30 days rounded out to whole days: 31 buckets');
    const hourly = await get('/analytics?interval=hour&start=2026-10-01T00:00:00Z&end=2026-11-01T00:00:00Z');
    assert.equal(hourly.status, 200, hourly.text);
    assert.equal(hourly.body.data.length, 31 * 24);
    const future = await get('/analytics?start=2030-01-01&end=2030-01-03&limit=1000&group_by=os');
    assert.equal(future.status, 200, future.text);
    assert.deepEqual(future.body.data, []);
    const offset = await get('/analytics?start=2026-11-01T00:00:00%2B05:30&end=2026-11-02T00:00:00.123456-03:00&timezone=Asia/Kathmandu');
    assert.equal(offset.status, 200, offset.text);
    assert.equal(offset.body.start, '2026-10-31T18:15:00Z');
  });
});
