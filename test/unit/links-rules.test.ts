import assert from 'node:assert/strict';
import { test } from 'node:test';
import { destinationWithUtm } from '../../engine/domain/links/destination';
import { isReservedSlug, randomSlug, RESERVED_SLUGS, SLUG_PATTERN, slugProblem } from '../../engine/domain/links/slugs';

test('random slugs: 7 base62 characters, valid custom-slug syntax, spread over the whole alphabet', () => {
  const seen = new Set<string>();
  const characters = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const slug = randomSlug();
    assert.match(slug, /^[A-Za-z0-9]{7}$/);
    assert.ok(SLUG_PATTERN.test(slug));
    assert.equal(slugProblem(slug), null);
    seen.add(slug);
    for (const c of slug) characters.add(c);
  }
  assert.equal(seen.size, 2000, 'no repeats in 2,000 draws');
  assert.equal(characters.size, 62, 'every base62 character occurs');
});

test('reserved slugs cover the engine’s own paths, case-insensitively', () => {
  for (const path of ['api', 'healthz', 'readyz', 'openapi.json', 'favicon.ico', 'robots.txt', 'p', 'qr']) {
    assert.ok(RESERVED_SLUGS.includes(path), path);
    assert.ok(isReservedSlug(path.toUpperCase()), path);
  }
  assert.equal(isReservedSlug('apis'), false);
});

const utm = (source: string | null, medium: string | null = null, campaign: string | null = null) => ({
  utm_source: source,
  utm_medium: medium,
  utm_campaign: campaign,
});

test('UTM parameters are appended at redirect time, keeping the query string and fragment as they were', () => {
  assert.equal(destinationWithUtm('https://example.com/a', utm(null)), 'https://example.com/a');
  assert.equal(destinationWithUtm('https://example.com/a', utm('twitter', 'social')), 'https://example.com/a?utm_source=twitter&utm_medium=social');
  assert.equal(
    destinationWithUtm('https://example.com/a?q=a%20b&flag&x=1+2#part?x', utm('news letter')),
    'https://example.com/a?q=a%20b&flag&x=1+2&utm_source=news%20letter#part?x',
  );
  assert.equal(destinationWithUtm('https://example.com/?', utm('s')), 'https://example.com/?utm_source=s');
  assert.equal(destinationWithUtm('https://example.com/#top', utm(null, null, 'q1&q2')), 'https://example.com/?utm_campaign=q1%26q2#top');
});

test('the link’s UTM values replace parameters of the same name; others stay', () => {
  assert.equal(
    destinationWithUtm('https://example.com/?utm_source=old&utm_medium=keep&utm%5Fsource=encoded&ref=1', utm('new')),
    'https://example.com/?utm_medium=keep&ref=1&utm_source=new',
  );
});
