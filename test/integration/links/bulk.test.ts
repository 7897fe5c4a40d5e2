import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { subscribeReceiver, type Receiver } from '../../support/webhook-receiver';
import { assertValidation, isoIn, LINK_FIELDS } from '../../support/links';

describe('Links API: bulk create (seed 003)', () => {
  let t: TestEngine;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await subscribeReceiver(t);
  });
  after(async () => {
    await t.stop();
    await receiver.close();
  });

  const bulk = (body: unknown, key?: string) => t.api('POST', '/api/v1/links/bulk', { body, key });
  const db = () => t.parts.db;

  test('each item is validated and created on its own; failures are listed by index and store nothing', async () => {
    assert.equal((await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'taken-slug' } })).status, 201);
    const linksBefore = await db()('links').count({ n: '*' });
    const response = await bulk({
      links: [
        { url: 'https://example.com/launch', slug: 'launch', tags: ['marketing'], notes: 'Imported' },
        { url: 'javascript:alert(1)', slug: 'x' },
        { url: 'https://example.com/docs' },
        { url: 'https://example.com/dup', slug: 'taken-slug' },
        { url: 'https://example.com/twice', slug: 'launch' },
        'https://example.com/not-an-object',
        { url: 'https://example.com/secret', password: 'hunter22', expires_at: isoIn(86_400_000) },
        { url: 'https://example.com/', domain: 'not-mine.example' },
        { url: 'https://example.com/', colour: 'red' },
        null,
      ],
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body).sort(), ['data', 'errors']);
    const created = response.body.data;
    assert.deepEqual(created.map((l: { url: string }) => l.url), ['https://example.com/launch', 'https://example.com/docs', 'https://example.com/secret']);
    for (const link of created) assert.deepEqual(Object.keys(link).sort(), LINK_FIELDS);
    assert.equal(created[0].slug, 'launch');
    assert.equal(created[2].password_protected, true);
    assert.ok(!response.text.includes('hunter22'));

    const errors = response.body.errors;
    assert.deepEqual(errors.map((e: { index: number }) => e.index), [1, 3, 4, 5, 7, 8, 9]);
    const byIndex = Object.fromEntries(errors.map((e: { index: number; error: unknown }) => [e.index, e.error]));
    assert.equal(byIndex[1].code, 'validation_error');
    assert.deepEqual(byIndex[1].details.map((d: { field: string }) => d.field).sort(), ['slug', 'url']);
    assert.equal(byIndex[3].code, 'conflict');
    assert.equal(byIndex[4].code, 'conflict', 'a slug used earlier in the same request');
    assert.equal(byIndex[5].code, 'validation_error');
    assert.deepEqual(byIndex[7].details.map((d: { field: string }) => d.field), ['domain']);
    assert.deepEqual(byIndex[8].details, [{ field: 'colour', message: 'Unknown field.' }]);
    assert.equal(byIndex[9].code, 'validation_error');
    for (const error of errors) assert.equal(typeof error.error.message, 'string');

    const linksAfter = await db()('links').count({ n: '*' });
    assert.equal(Number(linksAfter[0].n) - Number(linksBefore[0].n), 3, 'only the created items are stored');
    assert.equal(await db()('links').where({ url: 'https://example.com/twice' }).first(), undefined);
    for (const link of created) assert.deepEqual((await t.api('GET', `/api/v1/links/${link.id}`)).body, link);
  });

  test('every created item gets its own audit entry and link.created event', async () => {
    const response = await bulk({ links: [{ url: 'https://example.com/a1' }, { url: 'https://example.com/a2' }, { url: 'bad' }] });
    const ids = response.body.data.map((l: { id: string }) => l.id);
    assert.equal(ids.length, 2);
    const audits = await db()('audit_logs').whereIn('resource_id', ids);
    assert.deepEqual(audits.map((a) => a.action), ['link.created', 'link.created']);
    const events = (await db()('events').where({ type: 'link.created' })).map((e) => JSON.parse(e.payload));
    for (const link of response.body.data) assert.deepEqual(events.find((e) => e.data.id === link.id)?.data, link);
  });

  test('up to 100 items; random slugs are distinct', async () => {
    const links = Array.from({ length: 100 }, (_, i) => ({ url: `https://example.com/n/${i}`, tags: [`batch`, `n${i % 10}`] }));
    const response = await bulk({ links });
    assert.equal(response.status, 200, response.text);
    assert.equal(response.body.data.length, 100);
    assert.deepEqual(response.body.errors, []);
    assert.equal(new Set(response.body.data.map((l: { slug: string }) => l.slug)).size, 100);
    assert.deepEqual(response.body.data.map((l: { url: string }) => l.url), links.map((l) => l.url), 'in item order');
    const tagged = await t.api('GET', '/api/v1/links?tag=batch&limit=100');
    assert.equal(tagged.body.data.length, 100);
  });

  test('the request itself: a non-empty array of at most 100 items, nothing else', async () => {
    const item = { url: 'https://example.com/' };
    assertValidation(await bulk({ links: Array.from({ length: 101 }, () => item) }), ['links']);
    assertValidation(await bulk({ links: [] }), ['links']);
    assertValidation(await bulk({}), ['links']);
    assertValidation(await bulk({ links: item }), ['links']);
    assertValidation(await bulk({ links: [item], dry_run: true }), ['dry_run']);
    const raw = await t.api('POST', '/api/v1/links/bulk', { rawBody: '[{"url":"https://example.com/"}]', headers: { 'content-type': 'application/json' } });
    assert.equal(raw.status, 400);
    const broken = await t.api('POST', '/api/v1/links/bulk', { rawBody: '{"links": [', headers: { 'content-type': 'application/json' } });
    assert.equal(broken.status, 400);
  });

  test('bulk links take the key’s mode; all items failing still answers 200 with every error', async () => {
    const testKey = await t.createKey(['links:write', 'links:read'], { mode: 'test' });
    const response = await bulk({ links: [{ url: 'https://example.com/t1' }] }, testKey);
    const id = response.body.data[0].id;
    assert.equal((await db()('links').where({ id }).first()).mode, 'test');
    assert.equal((await t.api('GET', `/api/v1/links/${id}`)).status, 404, 'invisible to live keys');

    const failing = await bulk({ links: [{ url: 'x' }, { url: 'y' }] });
    assert.equal(failing.status, 200);
    assert.deepEqual(failing.body.data, []);
    assert.deepEqual(failing.body.errors.map((e: { index: number }) => e.index), [0, 1]);
  });
});
