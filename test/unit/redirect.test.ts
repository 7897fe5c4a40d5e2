import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bounded } from '../../engine/clicks/bounds';
import { ConfigError, loadConfig } from '../../engine/config';
import { asLocation, destinationOf, platformOf, withForwardedQuery } from '../../engine/redirect/destination';
import { normaliseHost } from '../../engine/redirect/hosts';
import { LinkCache, MISSING } from '../../engine/redirect/link-cache';
import type { ResolvedLink } from '../../engine/redirect/links';
import { escapeHtml, passwordForm } from '../../engine/redirect/pages';
import { parseShortPath } from '../../engine/redirect/paths';
import { ANDROID_UA, DESKTOP_UA, IPHONE_UA } from '../support/redirect-client';

describe('redirect and click settings', () => {
  test('defaults, and values read from the environment', () => {
    const defaults = loadConfig({}, {});
    assert.equal(defaults.unknownHost, 'default');
    assert.equal(defaults.redirectStatus, 302);
    assert.equal(defaults.forwardQuery, true);
    assert.equal(defaults.countryHeader, 'cf-ipcountry');
    assert.equal(defaults.clickFlushMs, 50);
    assert.equal(defaults.clickBatchSize, 5000);
    assert.equal(defaults.unlockCookieTtl, 86_400);
    const set = loadConfig({}, { MASK_UNKNOWN_HOST: '404', MASK_REDIRECT_STATUS: '307', MASK_FORWARD_QUERY: 'false', MASK_COUNTRY_HEADER: 'None', MASK_LINK_CACHE_TTL: '5' });
    assert.deepEqual([set.unknownHost, set.redirectStatus, set.forwardQuery, set.countryHeader, set.linkCacheTtl], ['404', 307, false, null, 5]);
    assert.equal(loadConfig({}, { MASK_COUNTRY_HEADER: 'X-Country' }).countryHeader, 'x-country');
  });

  for (const [name, value] of [
    ['MASK_UNKNOWN_HOST', 'maybe'],
    ['MASK_REDIRECT_STATUS', '200'],
    ['MASK_FORWARD_QUERY', 'sometimes'],
    ['MASK_LINK_CACHE_SIZE', '0'],
    ['MASK_LINK_CACHE_TTL', '1.5'],
    ['MASK_COUNTRY_HEADER', 'not a header'],
    ['MASK_CLICK_FLUSH_MS', '5'],
    ['MASK_CLICK_BATCH_SIZE', '100000'],
    ['MASK_CLICK_BUFFER_MAX', '10'],
    ['MASK_UNLOCK_TTL', '172800'],
  ]) {
    test(`an invalid ${name} stops start-up with a line naming it`, () => {
      assert.throws(() => loadConfig({}, { [name]: value }), (error: unknown) => error instanceof ConfigError && error.message.startsWith(`Invalid configuration: ${name} `));
    });
  }
});

describe('redirect units', () => {
  test('short paths: one segment, optional trailing slash, reserved first segments left to Express', () => {
    assert.deepEqual(parseShortPath('/abcd?x=1'), { slug: 'abcd', query: 'x=1', path: '/abcd' });
    assert.deepEqual(parseShortPath('/abcd/'), { slug: 'abcd', query: '', path: '/abcd' });
    assert.equal(parseShortPath('/%61bcd')?.slug, 'abcd');
    for (const notOurs of ['/', '//', '/a/b', '/api', '/API', '/healthz', '/readyz/', '/robots.txt', '/favicon.ico', '/.well-known', '/Static', 'http://host/abcd', '*']) {
      assert.equal(parseShortPath(notOurs), null, notOurs);
    }
    for (const odd of ['/abc', '/%zz', '/%00abcd', '/ab.cd', `/${'x'.repeat(65)}`, '/ab%2Fcd']) assert.equal(parseShortPath(odd)?.slug, null, odd);
  });

  test('hosts: lower-cased, trailing dot dropped, malformed ones refused', () => {
    assert.equal(normaliseHost(undefined), undefined);
    assert.equal(normaliseHost('Go.Example.COM'), 'go.example.com');
    assert.equal(normaliseHost('go.example.com.'), 'go.example.com');
    assert.equal(normaliseHost('go.example.com.:8080'), 'go.example.com:8080');
    assert.equal(normaliseHost('[::1]:3000'), '[::1]:3000');
    for (const bad of ['a b', 'x@y', 'host:port', '-bad.com', 'a'.repeat(300), '<x>']) assert.equal(normaliseHost(bad), null, bad);
  });

  test('destinations keep their bytes: UTM and forwarded parameters replace only parameters of the same name', () => {
    const utm = { utm_source: 'a', utm_medium: null, utm_campaign: 'c d' };
    assert.equal(destinationOf('https://x.test/p?utm_source=z&sig=a%2Fb~*#h', utm), 'https://x.test/p?sig=a%2Fb~*&utm_source=a&utm_campaign=c%20d#h');
    assert.equal(destinationOf('https://X.test/p?b=%7e', { utm_source: null, utm_medium: null, utm_campaign: null }), 'https://X.test/p?b=%7e');
    assert.equal(withForwardedQuery('https://x.test/p?a=1&b=2#f', 'b=3&c=4&c=5'), 'https://x.test/p?a=1&b=3&c=4&c=5#f');
    assert.equal(withForwardedQuery('https://x.test/p?utm%5Fsource=old', 'utm_source=new'), 'https://x.test/p?utm_source=new');
    assert.equal(withForwardedQuery('https://x.test/p', ''), 'https://x.test/p');
    assert.equal(withForwardedQuery('https://x.test/p', '&&'), 'https://x.test/p');
    assert.equal(withForwardedQuery('https://x.test/p', `a=${'x'.repeat(3000)}`), 'https://x.test/p');
  });

  test('Location values: internationalised hosts become punycode, other unsafe characters are percent-encoded', () => {
    assert.equal(asLocation('https://例え.jp/パス?q=ü#é'), 'https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%C3%BC#%C3%A9');
    assert.equal(asLocation('https://x.test:8443/a b'), 'https://x.test:8443/a%20b');
    assert.equal(asLocation('not a url ✓'), 'not%20a%20url%20%E2%9C%93');
    assert.equal(asLocation('https://x.test/\ud800'), 'https://x.test/%EF%BF%BD');
    assert.equal(asLocation('https://x.test/plain?a=1'), 'https://x.test/plain?a=1');
  });

  test('platforms from user agents', () => {
    assert.equal(platformOf(IPHONE_UA), 'ios');
    assert.equal(platformOf(ANDROID_UA), 'android');
    assert.equal(platformOf(DESKTOP_UA), null);
    assert.equal(platformOf('Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950)'), null);
    assert.equal(platformOf(''), null);
  });

  test('pages escape what they show', () => {
    assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const page = passwordForm('go.test/<script>', 'Wrong "password"');
    assert.doesNotMatch(page, /<script>/);
    assert.match(page, /Wrong &quot;password&quot;/);
  });

  test('bounded text never ends in half a surrogate pair', () => {
    assert.equal(bounded('abcdef', 3), 'abc');
    assert.equal(bounded('ab😀', 3), 'ab');
    assert.equal(bounded('short', 10), 'short');
  });

  test('the link cache shares one load between concurrent misses and keeps capped links briefly', async () => {
    let loads = 0;
    const link = (maxClicks: number | null) => ({ id: `lnk_${maxClicks}`, maxClicks }) as ResolvedLink;
    const cache = new LinkCache(async (_domain, slug) => {
      loads++;
      return slug === 'none' ? null : link(slug === 'capped' ? 5 : null);
    }, 100, 60_000);
    const domain = { hostname: 'go.test', secure: true };
    await Promise.all([cache.fetch(domain, 'plain'), cache.fetch(domain, 'plain'), cache.fetch(domain, 'capped'), cache.fetch(domain, 'none')]);
    assert.equal(loads, 3);
    assert.equal(cache.get('go.test', 'none'), MISSING);
    assert.ok(cache.get('go.test', 'capped'));
    cache.invalidate('go.test', 'plain');
    assert.equal(cache.get('go.test', 'plain'), undefined);
    await cache.fetch(domain, 'plain');
    await new Promise((resolve) => setTimeout(resolve, 2200));
    assert.equal(cache.get('go.test', 'capped'), undefined, 'capped links are reloaded after about two seconds');
    assert.ok(cache.get('go.test', 'plain'));
  });

  test('a load that races with a change is served but not cached', async () => {
    let release: (value: ResolvedLink) => void = () => undefined;
    const cache = new LinkCache(() => new Promise((resolve) => (release = resolve)), 100, 60_000);
    const pending = cache.fetch({ hostname: 'go.test', secure: true }, 'slug');
    cache.invalidate('go.test', 'slug');
    release({ id: 'lnk_old', maxClicks: null } as ResolvedLink);
    assert.equal(((await pending) as ResolvedLink).id, 'lnk_old');
    assert.equal(cache.get('go.test', 'slug'), undefined);
  });
});
