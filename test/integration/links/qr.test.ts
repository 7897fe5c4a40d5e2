import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';
import { decodeQr, getRaw } from '../../support/pages';

describe('QR codes: GET /links/:id/qr and the public /{slug}/qr', () => {
  let t: TestEngine;
  let link: { id: string; slug: string; short_url: string };

  before(async () => {
    t = await startTestEngine();
    link = (await t.api('POST', '/api/v1/links', { body: { url: 'https://example.com/spring', slug: 'spring-sale' } })).body;
  });
  after(() => t.stop());

  const qrOf = (query = '') => getRaw(t.baseUrl, `/api/v1/links/${link.id}/qr${query}`, { headers: { authorization: `Bearer ${t.adminKey}` } });

  test('a PNG that decodes to the short URL, 512 px by default', async () => {
    const response = await qrOf();
    assert.equal(response.status, 200, response.body.toString());
    assert.equal(response.headers['content-type'], 'image/png');
    assert.equal(response.headers['cache-control'], 'private, max-age=3600');
    assert.match(String(response.headers['content-disposition']), /^inline; filename="qr-spring-sale\.png"$/);
    const decoded = decodeQr(response.body);
    assert.deepEqual(decoded, { text: `https://${TEST_DOMAIN}/spring-sale`, width: 512, height: 512 });
    assert.equal(decoded?.text, link.short_url);
  });

  test('size, margin, error correction and colours are applied, and the code still decodes', async () => {
    const response = await qrOf('?size=300&margin=0&error_correction=H&foreground=%23123456&background=fafafa');
    assert.equal(response.status, 200, response.body.toString());
    const image = PNG.sync.read(response.body);
    assert.equal(image.width, 300);
    const pixel = (x: number, y: number) => `#${[...image.data.subarray((y * image.width + x) * 4, (y * image.width + x) * 4 + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    assert.equal(pixel(0, 0), '#123456', 'no margin: the finder pattern starts in the corner, in the foreground colour');
    assert.equal(decodeQr(response.body)?.text, link.short_url);

    const withMargin = PNG.sync.read((await qrOf('?size=300&margin=8&background=%23fafafa')).body);
    assert.equal(`#${[...withMargin.data.subarray(0, 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`, '#fafafa', 'the quiet zone has the background colour');

    const low = (await qrOf('?error_correction=L&size=128')).body;
    const high = (await qrOf('?error_correction=H&size=128')).body;
    assert.notDeepEqual(low, high, 'error correction changes the symbol');
    assert.equal(decodeQr(low)?.text, link.short_url);
  });

  test('SVG: the requested size and colours, the same symbol', async () => {
    const response = await qrOf('?format=svg&size=256&foreground=%23112233&background=%23ffeedd');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'image/svg+xml');
    const svg = response.body.toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="256" height="256" viewBox="0 0 \d+ \d+"/);
    assert.match(svg, /fill="#ffeedd"/);
    assert.match(svg, /stroke="#112233"/);
    assert.doesNotMatch(svg, /<script|on\w+=/i);
  });

  test('bad options: 422 naming each field; nothing about the link leaks', async () => {
    const api = (query: string) => t.api('GET', `/api/v1/links/${link.id}/qr${query}`);
    assertValidation(await api('?format=gif'), ['format']);
    assertValidation(await api('?size=127'), ['size']);
    assertValidation(await api('?size=2049'), ['size']);
    assertValidation(await api('?size=12.5'), ['size']);
    assertValidation(await api('?size=big'), ['size']);
    assertValidation(await api('?margin=-1'), ['margin']);
    assertValidation(await api('?margin=17'), ['margin']);
    assertValidation(await api('?error_correction=X'), ['error_correction']);
    assertValidation(await api('?error_correction=m'), ['error_correction']);
    assertValidation(await api('?foreground=red'), ['foreground']);
    assertValidation(await api('?foreground=%23abc'), ['foreground']);
    assertValidation(await api('?background=%23gggggg'), ['background']);
    assertValidation(await api('?colour=%23000000'), ['colour']);
    assertValidation(await api('?format=gif&size=1'), ['format', 'size']);
    const alike = await api('?foreground=%23777777&background=%23888888');
    assertValidation(alike, ['foreground']);
    assert.match(alike.body.error.message + alike.body.error.details[0].message, /contrast ratio must be at least 3:1/);
    assertValidation(await api('?foreground=%23ffffff&background=%23ffffff'), ['foreground']);
    assert.equal((await api('?foreground=%23ffffff&background=%23000000')).status, 200, 'light on dark has contrast enough');
  });

  test('scopes and isolation: links:read needed; another workspace, test mode and unknown ids are 404', async () => {
    const pagesOnly = await t.createKey(['pages:read']);
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/qr`, { key: pagesOnly })).status, 403);
    const reader = await t.createKey(['links:read']);
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/qr`, { key: reader })).status, 200);
    const other = await t.createWorkspace();
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/qr`, { key: other.adminKey })).status, 404);
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/qr`, { key: testKey })).status, 404);
    assert.equal((await t.api('GET', '/api/v1/links/lnk_00000000000000000000000000/qr')).status, 404);
    assert.equal((await t.api('GET', '/api/v1/links/nope/qr')).status, 404);
    assert.equal((await t.api('GET', `/api/v1/links/${link.id}/qr`, { key: null })).status, 401);
  });

  test('public /{slug}/qr and /qr/{slug}: the same image without a key, cacheable, ETag-validated', async () => {
    const api = await qrOf('?size=200');
    for (const path of ['/spring-sale/qr?size=200', '/qr/spring-sale?size=200', '/QR/spring-sale?size=200']) {
      const response = await getRaw(t.baseUrl, path);
      assert.equal(response.status, 200, path);
      assert.deepEqual(response.body, api.body, `${path} serves the API's bytes`);
      assert.equal(response.headers['cache-control'], 'public, max-age=86400, stale-while-revalidate=604800');
      assert.ok(response.headers.etag);
    }
    const first = await getRaw(t.baseUrl, '/spring-sale/qr');
    const again = await getRaw(t.baseUrl, '/spring-sale/qr', { headers: { 'if-none-match': String(first.headers.etag) } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const head = await getRaw(t.baseUrl, '/spring-sale/qr', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);

    const svg = await getRaw(t.baseUrl, '/qr/spring-sale?format=svg');
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.match(String(svg.headers['content-security-policy']), /default-src 'none'/);
  });

  test('public QR: unknown or malformed slugs are 404, bad options 422, case matters', async () => {
    assert.equal((await getRaw(t.baseUrl, '/no-such-link/qr')).status, 404);
    assert.equal((await getRaw(t.baseUrl, '/Spring-Sale/qr')).status, 404, 'slugs are case-sensitive');
    assert.equal((await getRaw(t.baseUrl, '/a%2Fb/qr')).status, 404);
    assert.equal((await getRaw(t.baseUrl, `/qr/${'x'.repeat(65)}`)).status, 404);
    const bad = await getRaw(t.baseUrl, '/spring-sale/qr?size=9999');
    assert.equal(bad.status, 422);
    assert.equal(JSON.parse(bad.body.toString()).error.details[0].field, 'size');
  });

  test('public QR routes by Host: a custom domain encodes its own short URL', async () => {
    const brand = await t.parts.workspaces.create({ name: 'Brand', domain: 'links.brand.test' });
    const key = await t.createKey(['links:write'], { workspaceId: brand.id });
    const created = await t.api('POST', '/api/v1/links', { key, body: { url: 'https://brand.test/', slug: 'spring-sale' } });
    assert.equal(created.status, 201, 'the same slug is free on another domain');
    await t.parts.redirects.domains.refresh();
    const onBrand = await getRaw(t.baseUrl, '/spring-sale/qr', { host: 'LINKS.brand.test.' });
    assert.equal(decodeQr(onBrand.body)?.text, 'https://links.brand.test/spring-sale');
    const onDefault = await getRaw(t.baseUrl, '/spring-sale/qr', { host: TEST_DOMAIN });
    assert.equal(decodeQr(onDefault.body)?.text, link.short_url);
    assert.equal((await getRaw(t.baseUrl, '/brand-only/qr', { host: 'links.brand.test' })).status, 404);
  });

  test('fetching QR codes counts no click; opening the short link does', async () => {
    const { db, clicks } = t.parts;
    const counted = async () => {
      await clicks.flush();
      return [Number((await db('links').where({ id: link.id }).first('clicks')).clicks), Number((await db('clicks').where({ link_id: link.id }).count({ n: '*' }))[0].n)];
    };
    for (let i = 0; i < 3; i++) await getRaw(t.baseUrl, '/spring-sale/qr', { host: TEST_DOMAIN });
    await getRaw(t.baseUrl, '/qr/spring-sale', { host: TEST_DOMAIN });
    await qrOf();
    assert.deepEqual(await counted(), [0, 0]);
    const opened = await getRaw(t.baseUrl, '/spring-sale', { host: TEST_DOMAIN });
    assert.equal(opened.status, 302);
    assert.deepEqual(await counted(), [1, 1], 'the scan of the code is what counts');
  });

  test('public QR codes count against the per-address limit of keyless requests', async () => {
    const limited = await startTestEngine({ anonymousRateLimitPerMinute: 3 });
    try {
      const created = await limited.api('POST', '/api/v1/links', { body: { url: 'https://example.com/', slug: 'limited' } });
      assert.equal(created.status, 201);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await getRaw(limited.baseUrl, i % 2 ? '/qr/limited' : '/limited/qr')).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const refused = await getRaw(limited.baseUrl, '/limited/qr');
      assert.ok(Number(refused.headers['retry-after']) > 0);
      assert.equal(JSON.parse(refused.body.toString()).error.code, 'rate_limit_exceeded');
    } finally {
      await limited.stop();
    }
  });

  test('the OpenAPI document lists the QR routes with their image types', async () => {
    const doc = (await t.api('GET', '/api/v1/openapi.json', { key: null })).body;
    const op = doc.paths['/links/{id}/qr'].get;
    assert.deepEqual(Object.keys(op.responses['200'].content).sort(), ['image/png', 'image/svg+xml']);
    assert.deepEqual(op.parameters.map((p: { name: string }) => p.name).sort(), ['background', 'error_correction', 'foreground', 'format', 'id', 'margin', 'size']);
    assert.ok(doc.paths['/pages/{id}/qr'].get);
  });
});
