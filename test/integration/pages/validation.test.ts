import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';

describe('Bio pages API: bad input is refused whole', () => {
  let t: TestEngine;
  let linkId: string;

  before(async () => {
    t = await startTestEngine();
    linkId = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/' } })).body.id;
  });
  after(() => t.stop());

  /** Row counts of everything a page write touches: a refused request must leave them all as they were. */
  const footprint = async () => {
    const counts: Record<string, number> = {};
    for (const table of ['pages', 'page_items', 'links', 'audit_logs', 'events']) {
      counts[table] = Number((await t.parts.db(table).count({ n: '*' }))[0].n);
    }
    return counts;
  };

  const create = (body: unknown) => t.api('POST', '/api/v1/pages', { body });
  const item = (extra: object = {}) => ({ label: 'Docs', url: 'https://example.com/docs', ...extra });

  test('each bad field is named; nothing is stored', async () => {
    const before = await footprint();
    const cases: Array<[unknown, string[]]> = [
      [{}, ['handle']],
      [{ handle: 'ab' }, ['handle']],
      [{ handle: 'x'.repeat(65) }, ['handle']],
      [{ handle: '-dash-first' }, ['handle']],
      [{ handle: 'has space' }, ['handle']],
      [{ handle: 'slash/y' }, ['handle']],
      [{ handle: 'ünïcode' }, ['handle']],
      [{ handle: 42 }, ['handle']],
      [{ handle: 'fine', title: 't'.repeat(101) }, ['title']],
      [{ handle: 'fine', title: 'bell\u0007' }, ['title']],
      [{ handle: 'fine', description: 'd'.repeat(501) }, ['description']],
      [{ handle: 'fine', avatar_url: 'javascript:alert(1)' }, ['avatar_url']],
      [{ handle: 'fine', avatar_url: 'http://example.com/a.png' }, ['avatar_url']],
      [{ handle: 'fine', avatar_url: 'data:image/png;base64,AAAA' }, ['avatar_url']],
      [{ handle: 'fine', theme: 'neon' }, ['theme']],
      [{ handle: 'fine', theme: null }, ['theme']],
      [{ handle: 'fine', domain: 'not a host' }, ['domain']],
      [{ handle: 'fine', domain: 'someone-else.test' }, ['domain']],
      [{ handle: 'fine', items: 'none' }, ['items']],
      [{ handle: 'fine', items: Array.from({ length: 51 }, () => item()) }, ['items']],
      [{ handle: 'fine', items: [{ url: 'https://example.com/' }] }, ['items.0.label']],
      [{ handle: 'fine', items: [item({ label: '   ' })] }, ['items.0.label']],
      [{ handle: 'fine', items: [item({ label: 'l'.repeat(101) })] }, ['items.0.label']],
      [{ handle: 'fine', items: [item({ label: 'tab\tinside' })] }, ['items.0.label']],
      [{ handle: 'fine', items: [{ label: 'Neither' }] }, ['items.0']],
      [{ handle: 'fine', items: [item({ link_id: linkId })] }, ['items.0']],
      [{ handle: 'fine', items: [item(), item({ url: 'ftp://example.com/' })] }, ['items.1.url']],
      [{ handle: 'fine', items: [item({ url: 'javascript:alert(1)' })] }, ['items.0.url']],
      [{ handle: 'fine', items: [{ label: 'Bad id', link_id: 'lnk_nope' }] }, ['items.0.link_id']],
      [{ handle: 'fine', items: [item({ color: 'red' })] }, ['items.0.color']],
      [{ handle: 'fine', published: true }, ['published']],
      [{ handle: 'ab', title: 't'.repeat(101), theme: 'neon', items: [{ label: '' }] }, ['handle', 'items.0', 'items.0.label', 'theme', 'title']],
    ];
    for (const [body, fields] of cases) assertValidation(await create(body), fields);
    assert.deepEqual(await footprint(), before);
  });

  test('unknown, foreign and test-mode links in items: 422 naming each, nothing stored', async () => {
    const other = await t.createWorkspace();
    const foreign = (await t.api('POST', '/api/v1/links', { key: other.adminKey, body: { url: 'https://example.com/theirs' } })).body.id;
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    const testLink = (await t.api('POST', '/api/v1/links', { key: testKey, body: { url: 'https://example.com/test' } })).body.id;
    const before = await footprint();
    const response = await create({
      handle: 'with-bad-links',
      items: [
        { label: 'Mine', link_id: linkId },
        { label: 'Never existed', link_id: 'lnk_00000000000000000000000000' },
        item(),
        { label: 'Theirs', link_id: foreign },
        { label: 'Test', link_id: testLink },
      ],
    });
    assertValidation(response, ['items.1.link_id', 'items.3.link_id', 'items.4.link_id']);
    assert.equal(response.body.error.details[0].message, 'No link lnk_00000000000000000000000000 in this workspace');
    assert.deepEqual(await footprint(), before, 'no page, no items, no managed link for the valid URL item');
  });

  test('a bad update leaves the page exactly as it was', async () => {
    const page = (await create({ handle: 'steady', title: 'Steady', items: [item(), { label: 'Link', link_id: linkId }] })).body;
    const before = await footprint();
    assertValidation(await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { title: 'New', items: [item({ url: 'https://example.com/new' }), { label: 'Gone', link_id: 'lnk_00000000000000000000000000' }] } }), ['items.1.link_id']);
    assertValidation(await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { items: null } }), ['items']);
    assertValidation(await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { handle: null } }), ['handle']);
    assertValidation(await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { id: 'pg_x' } }), ['id']);
    assertValidation(await t.api('PATCH', `/api/v1/pages/${page.id}`, { body: { domain: 'someone-else.test' } }), ['domain']);
    assert.deepEqual((await t.api('GET', `/api/v1/pages/${page.id}`)).body, page);
    assert.deepEqual(await footprint(), before);
  });

  test('malformed requests: bad JSON 400, wrong content type 415, body not an object 400, odd ids 404', async () => {
    assert.equal((await t.api('POST', '/api/v1/pages', { rawBody: '{"handle":', headers: { 'content-type': 'application/json' } })).status, 400);
    assert.equal((await t.api('POST', '/api/v1/pages', { rawBody: 'handle=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 415);
    assert.equal((await t.api('POST', '/api/v1/pages', { body: ['handle'] })).status, 400);
    assert.equal((await t.api('GET', '/api/v1/pages/lnk_00000000000000000000000000')).status, 404);
    assert.equal((await t.api('GET', '/api/v1/pages/pg_00000000000000000000000000')).status, 404);
    assert.equal((await t.api('POST', '/api/v1/pages/pg_%3Cscript%3E/publish')).status, 404);
  });
});
