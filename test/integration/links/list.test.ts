import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';

interface Row {
  id: string;
  created_at: number;
  updated_at: number;
  clicks: number;
  tags: string;
}

type Sort = 'created_at' | 'clicks' | 'updated_at';

/** The order the API must answer in: by the sort column, ties broken by id. */
function expectedOrder(rows: Row[], sort: Sort, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((a, b) => (a[sort] !== b[sort] ? (a[sort] - b[sort]) * sign : (a.id < b.id ? -1 : 1) * sign))
    .map((row) => row.id);
}

describe('Links API: list, filters, sort and keyset pagination', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
    const links = Array.from({ length: 45 }, (_, i) => ({
      url: `https://example.com/item/${i}`,
      title: `Item ${i}`,
      tags: [...(i % 3 === 0 ? ['red'] : []), ...(i % 4 === 0 ? ['blue'] : [])],
    }));
    const bulk = await t.api('POST', '/api/v1/links/bulk', { body: { links } });
    assert.equal(bulk.body.data.length, 45, bulk.text);
    // Click counts with many ties, written the way the click pipeline writes them.
    for (const [i, link] of bulk.body.data.entries()) {
      await t.parts.db('links').where({ id: link.id }).update({ clicks: (i * 7) % 5 });
    }
    // A few more links later, so created_at and updated_at differ between groups.
    for (let i = 0; i < 5; i++) await t.api('POST', '/api/v1/links', { body: { url: `https://example.com/late/${i}`, tags: ['red'] } });
    const first = bulk.body.data[0].id;
    await t.api('PATCH', `/api/v1/links/${first}`, { body: { title: 'Touched' } });
  });
  after(() => t.stop());

  const rowsOf = async (workspaceId = t.workspace.id, mode = 'live'): Promise<Row[]> =>
    t.parts.db('links').where({ workspace_id: workspaceId, mode }).select('id', 'created_at', 'updated_at', 'clicks', 'tags');

  /** Follows cursors to the end; checks has_more/cursor agree on every page. */
  async function walk(query: string, key?: string, between?: () => Promise<void>): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await t.api('GET', `/api/v1/links?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { key });
      assert.equal(page.status, 200, page.text);
      ids.push(...page.body.data.map((link: { id: string }) => link.id));
      cursor = page.body.pagination.cursor;
      assert.equal(page.body.pagination.has_more, cursor !== null);
      if (between) await between();
    } while (cursor);
    return ids;
  }

  test('defaults: 25 per page, newest first, a cursor to the rest', async () => {
    const page = await t.api('GET', '/api/v1/links');
    assert.equal(page.body.data.length, 25);
    assert.equal(page.body.pagination.has_more, true);
    assert.equal(typeof page.body.pagination.cursor, 'string');
    assert.deepEqual(page.body.data.map((l: { id: string }) => l.id), expectedOrder(await rowsOf(), 'created_at', 'desc').slice(0, 25));
  });

  for (const sort of ['created_at', 'clicks', 'updated_at'] as const) {
    for (const order of ['desc', 'asc'] as const) {
      test(`walking every page sorted by ${sort} ${order} returns each link once, in order`, async () => {
        const rows = await rowsOf();
        assert.deepEqual(await walk(`limit=7&sort=${sort}&order=${order}`), expectedOrder(rows, sort, order));
        const red = rows.filter((row) => JSON.parse(row.tags).includes('red'));
        assert.deepEqual(await walk(`limit=4&sort=${sort}&order=${order}&tag=red`), expectedOrder(red, sort, order), 'with a tag filter');
      });
    }
  }

  test('the last page has has_more false and cursor null; limit=100 takes all', async () => {
    const all = await t.api('GET', '/api/v1/links?limit=100');
    assert.equal(all.body.data.length, (await rowsOf()).length);
    assert.deepEqual(all.body.pagination, { has_more: false, cursor: null });
  });

  test('tag and domain filters', async () => {
    const rows = await rowsOf();
    const blue = await t.api('GET', '/api/v1/links?tag=blue&limit=100');
    assert.deepEqual(
      blue.body.data.map((l: { id: string }) => l.id).sort(),
      rows.filter((r) => JSON.parse(r.tags).includes('blue')).map((r) => r.id).sort(),
    );
    assert.ok(blue.body.data.every((l: { tags: string[] }) => l.tags.includes('blue')));
    assert.deepEqual((await t.api('GET', '/api/v1/links?tag=Blue')).body.data, [], 'tags match exactly');
    assert.deepEqual((await t.api('GET', '/api/v1/links?tag=none')).body.data, []);
    assert.equal((await t.api('GET', '/api/v1/links?domain=GO.MASK.TEST&limit=100')).body.data.length, rows.length);
    assert.deepEqual((await t.api('GET', '/api/v1/links?domain=other.example')).body.data, []);
    assert.equal((await t.api('GET', '/api/v1/links?tag=&search=&domain=&limit=100')).body.data.length, rows.length, 'empty filters are no filters');
  });

  test('a tag change moves the link between tag lists; clicks and updated_at follow in the tag index', async () => {
    const target = (await t.api('GET', '/api/v1/links?tag=blue&limit=1')).body.data[0];
    await t.api('PATCH', `/api/v1/links/${target.id}`, { body: { tags: ['green', 'red'] } });
    const blue = await walk('tag=blue&limit=100');
    assert.ok(!blue.includes(target.id));
    const green = await walk('tag=green&sort=updated_at');
    assert.deepEqual(green, [target.id]);
    await t.parts.db('links').where({ id: target.id }).update({ clicks: 1000 });
    const top = await t.api('GET', '/api/v1/links?tag=red&sort=clicks&limit=1');
    assert.equal(top.body.data[0].id, target.id);
    assert.equal(top.body.data[0].clicks, 1000);
    await t.api('PATCH', `/api/v1/links/${target.id}`, { body: { tags: ['blue'] } });
  });

  test('search matches URL, slug or title, case-insensitively, with % and _ taken literally', async () => {
    const { workspace, adminKey } = await t.createWorkspace('Search');
    const make = (body: object) => t.api('POST', '/api/v1/links', { key: adminKey, body });
    const percent = await make({ url: 'https://example.com/sale', title: '100% off' });
    const underscore = await make({ url: 'https://example.com/x', title: 'a_b test' });
    const upper = await make({ url: 'https://example.com/SEARCHME/path' });
    const slug = await make({ url: 'https://example.com/y', slug: 'FindMe-slug' });
    await make({ url: 'https://example.com/plain', title: 'plain' });
    const search = async (term: string) =>
      (await t.api('GET', `/api/v1/links?search=${encodeURIComponent(term)}`, { key: adminKey })).body.data.map((l: { id: string }) => l.id).sort();
    assert.deepEqual(await search('%'), [percent.body.id]);
    assert.deepEqual(await search('_'), [underscore.body.id]);
    assert.deepEqual(await search('searchme'), [upper.body.id]);
    assert.deepEqual(await search('findme'), [slug.body.id]);
    assert.deepEqual(await search('100% OFF'), [percent.body.id]);
    assert.deepEqual(await search('\\'), []);
    assert.equal((await search('example.com')).length, 5);
    assert.ok(workspace.id);
  });

  test('created_after (inclusive) and created_before (exclusive)', async () => {
    const rows = await rowsOf();
    const times = [...new Set(rows.map((r) => r.created_at))].sort((a, b) => a - b);
    assert.ok(times.length >= 2, 'links were created at more than one instant');
    const pivot = times[times.length - 1];
    const iso = encodeURIComponent(new Date(pivot).toISOString());
    const afterIds = await walk(`created_after=${iso}&limit=100`);
    assert.deepEqual(afterIds.sort(), rows.filter((r) => r.created_at >= pivot).map((r) => r.id).sort());
    const beforeIds = await walk(`created_before=${iso}&limit=10`);
    assert.deepEqual(beforeIds.sort(), rows.filter((r) => r.created_at < pivot).map((r) => r.id).sort());
    const redBefore = await walk(`created_before=${iso}&tag=red&limit=3`);
    assert.deepEqual(redBefore.sort(), rows.filter((r) => r.created_at < pivot && JSON.parse(r.tags).includes('red')).map((r) => r.id).sort());
    assertValidation(await t.api('GET', `/api/v1/links?created_after=${iso}&created_before=${iso}`), ['created_after']);
  });

  test('pages stay consistent while links are created and deleted during the walk', async () => {
    const stable = (await rowsOf()).map((r) => r.id);
    const victims = [...stable].sort().slice(0, 6);
    const survivors = stable.filter((id) => !victims.includes(id));
    let step = 0;
    const ids = await walk('limit=5&sort=created_at&order=desc', undefined, async () => {
      await t.api('POST', '/api/v1/links', { body: { url: `https://example.com/during/${step}` } });
      if (step < victims.length) await t.api('DELETE', `/api/v1/links/${victims[step]}`);
      step += 1;
    });
    assert.equal(new Set(ids).size, ids.length, 'no duplicates');
    for (const id of survivors) assert.ok(ids.includes(id), `${id} existed for the whole walk and was returned`);
    const ascending = await walk('limit=6&sort=clicks&order=asc', undefined, async () => {
      await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/during-asc' } });
    });
    assert.equal(new Set(ascending).size, ascending.length);
    for (const id of survivors) assert.ok(ascending.includes(id));
  });

  test('lists never cross workspaces or modes', async () => {
    const other = await t.createWorkspace('Neighbour');
    await t.api('POST', '/api/v1/links', { key: other.adminKey, body: { url: 'https://example.com/theirs', tags: ['red'] } });
    const testKey = await t.createKey(['links:read', 'links:write'], { mode: 'test' });
    const testLink = await t.api('POST', '/api/v1/links', { key: testKey, body: { url: 'https://example.com/test-mode', tags: ['red'] } });
    const live = await walk('limit=100');
    const liveRed = await walk('limit=100&tag=red');
    const mine = (await rowsOf()).map((r) => r.id).sort();
    assert.deepEqual(live.sort(), mine);
    assert.ok(liveRed.every((id) => mine.includes(id)));
    assert.deepEqual(await walk('limit=100', testKey), [testLink.body.id]);
    assert.deepEqual(await walk('limit=100&tag=red', testKey), [testLink.body.id]);
  });

  test('cursors are opaque, signed and bound to their list', async () => {
    const first = await t.api('GET', '/api/v1/links?limit=2&tag=red');
    const cursor = encodeURIComponent(first.body.pagination.cursor);
    assert.equal((await t.api('GET', `/api/v1/links?limit=2&tag=red&cursor=${cursor}`)).status, 200);
    assert.equal((await t.api('GET', `/api/v1/links?limit=50&tag=red&cursor=${cursor}`)).status, 200, 'the limit may change');
    const misuse = [
      `limit=2&tag=blue&cursor=${cursor}`,
      `limit=2&cursor=${cursor}`,
      `limit=2&tag=red&sort=clicks&cursor=${cursor}`,
      `limit=2&tag=red&order=asc&cursor=${cursor}`,
      `limit=2&tag=red&search=x&cursor=${cursor}`,
      `limit=2&tag=red&cursor=${cursor.slice(0, -2)}xx`,
      `limit=2&tag=red&cursor=${encodeURIComponent(Buffer.from('{"s":"created_at","o":"desc","v":0,"i":"lnk_"}').toString('base64url'))}.abc`,
      'cursor=not-a-cursor',
    ];
    for (const query of misuse) {
      const response = await t.api('GET', `/api/v1/links?${query}`);
      assert.equal(response.status, 400, `${query}: ${response.text}`);
      assert.equal(response.body.error.code, 'bad_request');
    }
    const other = await t.createWorkspace('Cursor thief');
    assert.equal((await t.api('GET', `/api/v1/links?limit=2&tag=red&cursor=${cursor}`, { key: other.adminKey })).status, 400);
  });

  test('invalid query parameters answer 422 naming each one', async () => {
    const cases: Array<[string, string[]]> = [
      ['limit=101', ['limit']],
      ['limit=0', ['limit']],
      ['limit=-1', ['limit']],
      ['limit=1.5', ['limit']],
      ['limit=abc', ['limit']],
      ['sort=title', ['sort']],
      ['order=up', ['order']],
      ['created_after=yesterday&created_before=2026-13-01T00:00:00Z', ['created_after', 'created_before']],
      [`tag=${'x'.repeat(51)}`, ['tag']],
      [`search=${'x'.repeat(201)}`, ['search']],
      ['tag=a&tag=b', ['tag']],
      ['colour=red&limit=500', ['colour', 'limit']],
      ['search=%00&tag=a%01&domain=%7F', ['domain', 'search', 'tag']],
    ];
    for (const [query, fields] of cases) assertValidation(await t.api('GET', `/api/v1/links?${query}`), fields);
  });
});
