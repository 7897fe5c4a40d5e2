import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { assertValidation, isoIn } from '../../support/links';

const DAY = 24 * 3600 * 1000;

describe('Links API: validation and bad input', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  const create = (body: unknown) => t.api('POST', '/api/v1/links', { body });
  const linkCount = async () => Number((await t.parts.db('links').count({ n: '*' }))[0].n);

  test('destination URLs: https only, no scheme tricks, no hidden characters, no credentials, at most 2,048 chars', async () => {
    const bad = [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://example.com/file',
      'http://example.com/',
      'HTTPS://example.com/',
      'hTtPs://example.com/',
      ' https://example.com/',
      'https://example.com/ ',
      'https://exa mple.com/',
      'https://example.com/\u0000',
      'https://example.com/\n',
      'https://example.com/\u200b',
      'https://example.com/\u202e',
      'https://example.com/\u00a0',
      'https://user:pass@example.com/',
      'https://paypal.com@evil.example/',
      'https:///evil.example/',
      'https://evil.example\\@good.example/',
      'https://',
      'https://exa<mple.com/',
      'example.com',
      '',
      `https://example.com/${'a'.repeat(2049 - 'https://example.com/'.length)}`,
    ];
    for (const url of bad) {
      const response = await create({ url });
      assertValidation(response, ['url']);
      assert.equal(response.body.error.details[0].field, 'url', url);
    }
    const longest = `https://example.com/${'a'.repeat(2048 - 'https://example.com/'.length)}`;
    assert.equal((await create({ url: longest })).status, 201, 'exactly 2,048 characters is fine');
    for (const url of ['https://bücher.example/straße?q=ü', 'https://127.0.0.1:8443/x', 'https://example.com/a%20b?x=1&y=2#frag']) {
      assert.equal((await create({ url })).status, 201, url);
    }
    const message = (await create({ url: 'javascript:alert(1)' })).body.error.details[0].message;
    assert.equal(message, 'Must be a valid URL starting with https://');
  });

  test('device targets follow the same rules; an empty string means none', async () => {
    const response = await create({ url: 'https://example.com/', ios_target: 'javascript:alert(1)', android_target: 'http://example.com/' });
    assertValidation(response, ['android_target', 'ios_target']);
    const ok = await create({ url: 'https://example.com/', ios_target: '', android_target: null });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.ios_target, null);
  });

  test('an operator setting allows http:// destinations', async () => {
    const lenient = await startTestEngine({ allowHttpUrls: true });
    try {
      const created = await lenient.api('POST', '/api/v1/links', { body: { url: 'http://example.com/plain', ios_target: 'http://example.com/ios' } });
      assert.equal(created.status, 201, created.text);
      const tricky = await lenient.api('POST', '/api/v1/links', { body: { url: 'javascript:alert(1)' } });
      assert.equal(tricky.body.error.details[0].message, 'Must be a valid URL starting with https:// or http://');
    } finally {
      await lenient.stop();
    }
  });

  test('slugs: 4–64 characters of the documented alphabet, not reserved, case-sensitive, unique per domain', async () => {
    const cases: Array<[string, RegExp]> = [
      ['abc', /between 4 and 64/],
      ['a'.repeat(65), /between 4 and 64/],
      ['-abc', /letters, digits/],
      ['_abc', /letters, digits/],
      ['ab cd', /letters, digits/],
      ['abc/def', /letters, digits/],
      ['abc.def', /letters, digits/],
      ['ünïcode', /letters, digits/],
      ['healthz', /reserved/],
      ['HealthZ', /reserved/],
      ['readyz', /reserved/],
      ['static', /reserved/],
    ];
    for (const [slug, message] of cases) {
      const response = await create({ url: 'https://example.com/', slug });
      assertValidation(response, ['slug']);
      assert.match(response.body.error.details[0].message, message, slug);
    }
    assertValidation(await create({ url: 'https://example.com/', slug: 1234 }), ['slug']);
    assert.equal((await create({ url: 'https://example.com/', slug: 'a'.repeat(64) })).status, 201);
    assert.equal((await create({ url: 'https://example.com/', slug: '9_a-Z' })).status, 201);

    assert.equal((await create({ url: 'https://example.com/', slug: 'CaseLink' })).status, 201);
    assert.equal((await create({ url: 'https://example.com/', slug: 'caselink' })).status, 201, 'slugs are case-sensitive');
    const before = await linkCount();
    const taken = await create({ url: 'https://example.com/other', slug: 'CaseLink' });
    assert.equal(taken.status, 409, taken.text);
    assert.equal(taken.body.error.code, 'conflict');
    assert.equal(await linkCount(), before, 'a conflict leaves no row');
  });

  test('a slug is unique per domain across workspaces and modes', async () => {
    assert.equal((await create({ url: 'https://example.com/', slug: 'shared-slug' })).status, 201);
    const other = await t.createWorkspace('Other');
    const foreign = await t.api('POST', '/api/v1/links', { key: other.adminKey, body: { url: 'https://example.com/', slug: 'shared-slug' } });
    assert.equal(foreign.status, 409);
    const testKey = await t.createKey(['links:write'], { mode: 'test' });
    const testMode = await t.api('POST', '/api/v1/links', { key: testKey, body: { url: 'https://example.com/', slug: 'shared-slug' } });
    assert.equal(testMode.status, 409);
  });

  test('concurrent creates of one slug: exactly one wins, the others get 409, none a 500', async () => {
    const attempts = await Promise.all(Array.from({ length: 6 }, (_, i) => create({ url: `https://example.com/race/${i}`, slug: 'race-slug' })));
    assert.deepEqual(attempts.map((r) => r.status).sort(), [201, 409, 409, 409, 409, 409]);
    const bulks = await Promise.all(
      Array.from({ length: 3 }, () => t.api('POST', '/api/v1/links/bulk', { body: { links: [{ url: 'https://example.com/', slug: 'bulk-race' }, { url: 'https://example.com/' }] } })),
    );
    assert.ok(bulks.every((r) => r.status === 200 && r.body.data.length >= 1));
    assert.equal(bulks.filter((r) => r.body.data.some((l: { slug: string }) => l.slug === 'bulk-race')).length, 1);
    assert.equal(bulks.flatMap((r) => r.body.errors).filter((e) => e.error.code === 'conflict').length, 2);
  });

  test('a domain must be the instance domain or one of the workspace’s own', async () => {
    const elsewhere = await t.parts.workspaces.create({ name: 'Owner', domain: 'owned.example' });
    assert.ok(elsewhere.id);
    for (const domain of ['owned.example', 'nowhere.example']) {
      const response = await create({ url: 'https://example.com/', domain });
      assertValidation(response, ['domain']);
      assert.match(response.body.error.details[0].message, /not a domain of this workspace/);
    }
    assertValidation(await create({ url: 'https://example.com/', domain: 'not a host/' }), ['domain']);
    assertValidation(await create({ url: 'https://example.com/', domain: 42 }), ['domain']);
  });

  test('tags: at most 10, each 1–50 characters of text', async () => {
    const tags = Array.from({ length: 11 }, (_, i) => `t${i}`);
    assertValidation(await create({ url: 'https://example.com/', tags }), ['tags']);
    assertValidation(await create({ url: 'https://example.com/', tags: ['ok', '', 'x'.repeat(51), 'bad\u0007'] }), ['tags.1', 'tags.2', 'tags.3']);
    assertValidation(await create({ url: 'https://example.com/', tags: 'campaign' }), ['tags']);
    assertValidation(await create({ url: 'https://example.com/', tags: [1] }), ['tags.0']);
    const fine = await create({ url: 'https://example.com/', tags: [' padded ', 'x'.repeat(50)] });
    assert.deepEqual(fine.body.tags, ['padded', 'x'.repeat(50)]);
  });

  test('timestamps: ISO 8601 with a zone; expires_at in the future and after starts_at', async () => {
    for (const value of ['tomorrow', '2027-02-30T00:00:00Z', '2027-01-01T00:00:00', '2027-01-01', 1893456000, '']) {
      assertValidation(await create({ url: 'https://example.com/', expires_at: value }), ['expires_at']);
      assertValidation(await create({ url: 'https://example.com/', starts_at: value }), ['starts_at']);
    }
    const past = await create({ url: 'https://example.com/', expires_at: isoIn(-DAY) });
    assertValidation(past, ['expires_at']);
    assert.equal(past.body.error.details[0].message, 'Must be in the future');
    const inverted = await create({ url: 'https://example.com/', starts_at: isoIn(3 * DAY), expires_at: isoIn(2 * DAY) });
    assertValidation(inverted, ['starts_at']);
    assert.equal(inverted.body.error.details[0].message, 'Must be before expires_at');
    const tomorrow = isoIn(DAY); // once: two calls can fall in different milliseconds, a valid start before the expiry
    assertValidation(await create({ url: 'https://example.com/', starts_at: tomorrow, expires_at: tomorrow }), ['starts_at']);
    const pastStart = await create({ url: 'https://example.com/', starts_at: isoIn(-DAY), expires_at: isoIn(DAY) });
    assert.equal(pastStart.status, 201, 'a start in the past just means active now');
  });

  test('every invalid field, cross-field rules and unknown fields are reported together', async () => {
    const before = await linkCount();
    const response = await create({
      url: 'javascript:alert(1)',
      slug: 'ab',
      tags: Array.from({ length: 11 }, (_, i) => `t${i}`),
      starts_at: isoIn(3 * DAY),
      expires_at: isoIn(2 * DAY),
      max_clicks: 0,
      password: 'abc',
      title: 'x'.repeat(501),
      colour: 'red',
      originalUrl: 'https://example.com/',
    });
    assertValidation(response, ['colour', 'max_clicks', 'originalUrl', 'password', 'slug', 'starts_at', 'tags', 'title', 'url']);
    assert.equal(response.body.error.details.find((d: { field: string }) => d.field === 'colour').message, 'Unknown field.');
    const pastAndInvalid = await create({ url: 'ftp://x', expires_at: isoIn(-DAY) });
    assertValidation(pastAndInvalid, ['expires_at', 'url']);
    assertValidation(await create({}), ['url']);
    assert.equal((await create({})).body.error.details[0].message, 'Required.');
    assert.equal(await linkCount(), before, 'failed creates leave no row');
  });

  test('text limits, max_clicks and password rules', async () => {
    const url = 'https://example.com/';
    assertValidation(await create({ url, title: 'x'.repeat(501) }), ['title']);
    assertValidation(await create({ url, title: 'tab\tinside' }), ['title']);
    assertValidation(await create({ url, notes: 'x'.repeat(501) }), ['notes']);
    assertValidation(await create({ url, notes: 'bell\u0007' }), ['notes']);
    assertValidation(await create({ url, utm_source: 'x'.repeat(256), utm_medium: 5, utm_campaign: ['a'] }), ['utm_campaign', 'utm_medium', 'utm_source']);
    for (const value of [0, -1, 1.5, '10', 2 ** 31, true]) assertValidation(await create({ url, max_clicks: value }), ['max_clicks']);
    for (const value of ['abc', '', 'x'.repeat(129), 1234, true]) assertValidation(await create({ url, password: value }), ['password']);
    assert.equal((await create({ url, title: 'x'.repeat(500), notes: `${'x'.repeat(498)}\r\n`, max_clicks: 2 ** 31 - 1, password: 'abcd' })).status, 201);
  });

  test('malformed bodies answer in the envelope, never a 500', async () => {
    const raw = (rawBody: string, type = 'application/json') => t.api('POST', '/api/v1/links', { rawBody, headers: { 'content-type': type } });
    const cases: Array<[Awaited<ReturnType<typeof raw>>, number, string]> = [
      [await raw('{"url": '), 400, 'bad_request'],
      [await raw('[{"url":"https://example.com/"}]'), 400, 'bad_request'],
      [await raw('null'), 400, 'bad_request'],
      [await raw('"https://example.com/"'), 400, 'bad_request'],
      [await raw('url=https://example.com/', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
      [await raw(JSON.stringify({ url: 'https://example.com/', notes: 'x'.repeat(1_100_000) })), 413, 'payload_too_large'],
      [await raw('{"url": "https://example.com/", "__proto__": {"admin": true}}'), 422, 'validation_error'],
    ];
    for (const [response, status, code] of cases) {
      assert.equal(response.status, status, response.text);
      assert.equal(response.body.error.code, code);
    }
    const patch = await t.api('PATCH', `/api/v1/links/lnk_${'0'.repeat(26)}`, { rawBody: '{', headers: { 'content-type': 'application/json' } });
    assert.equal(patch.status, 400);
  });

  test('invalid and unknown ids answer 404 on every route', async () => {
    for (const id of ['nope', 'lnk_123', `key_${'0'.repeat(26)}`, `lnk_${'0'.repeat(26)}`, `lnk_${'A'.repeat(26)}`, '%00']) {
      for (const method of ['GET', 'PATCH', 'DELETE']) {
        const response = await t.api(method, `/api/v1/links/${id}`, method === 'PATCH' ? { body: { title: 'x' } } : {});
        assert.equal(response.status, 404, `${method} ${id}: ${response.text}`);
        assert.equal(response.body.error.code, 'not_found');
      }
    }
  });

  test('PATCH validates like create, refuses slug and domain changes, and checks the schedule against stored values', async () => {
    const created = await create({ url: 'https://example.com/', slug: 'patch-me', starts_at: isoIn(DAY), expires_at: isoIn(10 * DAY) });
    const path = `/api/v1/links/${created.body.id}`;
    const patch = (body: unknown) => t.api('PATCH', path, { body });

    assertValidation(await patch({ slug: 'other-slug', domain: 'other.example' }), ['domain', 'slug']);
    assertValidation(await patch({ slug: null }), ['slug']);
    assertValidation(await patch({ url: null }), ['url']);
    assertValidation(await patch({ url: 'javascript:alert(1)', tags: [''], colour: 'red' }), ['colour', 'tags.0', 'url']);
    assertValidation(await patch({ starts_at: isoIn(11 * DAY) }), ['starts_at']);
    assertValidation(await patch({ expires_at: isoIn(DAY / 2) }), ['expires_at']);
    assertValidation(await patch({ expires_at: isoIn(-DAY) }), ['expires_at']);
    assertValidation(await patch({ starts_at: isoIn(5 * DAY), expires_at: isoIn(4 * DAY) }), ['starts_at']);
    assert.equal((await patch({ starts_at: isoIn(11 * DAY), expires_at: isoIn(12 * DAY) })).status, 200, 'both moved together');
    assert.equal((await patch({ expires_at: null, starts_at: isoIn(20 * DAY) })).status, 200);
    assert.equal((await patch({ slug: 'patch-me', domain: created.body.domain.toUpperCase() })).status, 200, 'unchanged values are accepted');
    assert.equal((await t.api('GET', path)).body.url, 'https://example.com/', 'rejected patches changed nothing');
  });
});
