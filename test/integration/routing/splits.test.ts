import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { ANDROID_UA, BOT_UA, DESKTOP_UA, IPHONE_UA } from '../../support/redirect-client';
import { chromeOf, inParallel, routingHelpers } from './support';

const VISITORS = 1000;
const A = 'https://example.com/a';
const B = 'https://example.com/b';

describe('smart routing: A/B splits, previews, analytics by rule and variant', () => {
  let t: TestEngine;
  const { createLink, addRule, go } = routingHelpers(() => t);

  /** Each visitor's Location, visitors told apart by user agent. */
  const visitAll = async (slug: string, extra: Record<string, string> = {}) => {
    const locations = new Array<string>(VISITORS);
    await inParallel(VISITORS, 8, async (i) => {
      const response = await go(slug, { headers: { 'user-agent': chromeOf(i), ...extra } });
      assert.equal(response.status, 302);
      locations[i] = response.location as string;
    });
    return locations;
  };
  const share = (locations: string[], url: string) => locations.filter((location) => location === url).length / locations.length;

  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  test('1,000 visitors split 70/30 within a few percent, each keeps their variant, bots get the primary', async () => {
    const link = await createLink({ url: 'https://example.com/primary', variants: [{ url: A, weight: 70 }, { url: B, weight: 30 }] });
    assert.deepEqual(link.variants, [{ url: A, weight: 70 }, { url: B, weight: 30 }]);
    const first = await visitAll(link.slug);
    assert.ok(Math.abs(share(first, A) - 0.7) < 0.05, `A got ${share(first, A)}`);
    assert.ok(Math.abs(share(first, B) - 0.3) < 0.05, `B got ${share(first, B)}`);
    assert.deepEqual(await visitAll(link.slug), first, 'every visitor sees the same variant again');
    for (let i = 0; i < 5; i++) assert.equal((await go(link.slug, { headers: { 'user-agent': BOT_UA } })).location, 'https://example.com/primary');
  });

  test('a device target that applies wins over the link’s split; other platforms get a variant', async () => {
    const link = await createLink({ ios_target: 'https://apps.example.com/ios', variants: [{ url: A, weight: 50 }, { url: B, weight: 50 }] });
    assert.equal((await go(link.slug, { headers: { 'user-agent': IPHONE_UA } })).location, 'https://apps.example.com/ios');
    assert.ok([A, B].includes((await go(link.slug, { headers: { 'user-agent': ANDROID_UA } })).location as string));
  });

  test('changing weights moves only the visitors the change requires', async () => {
    const link = await createLink({ variants: [{ url: A, weight: 50 }, { url: B, weight: 50 }] });
    const before50 = await visitAll(link.slug);
    const patched = await t.api('PATCH', `/api/v1/links/${link.id}`, { body: { variants: [{ url: A, weight: 60 }, { url: B, weight: 40 }] } });
    assert.equal(patched.status, 200);
    const after60 = await visitAll(link.slug);
    const moved = after60.filter((location, i) => location !== before50[i]);
    assert.ok(moved.every((location) => location === A), 'only B visitors move, and only to A');
    assert.ok(Math.abs(moved.length / VISITORS - 0.1) < 0.04, `${moved.length} of ${VISITORS} moved`);
    assert.equal((await t.api('PATCH', `/api/v1/links/${link.id}`, { body: { variants: null } })).body.variants, null);
    assert.equal((await go(link.slug, { headers: { 'user-agent': DESKTOP_UA } })).location, 'https://example.com/default');
  });

  test('a rule with a split; clicks record rule and variant; analytics group by rule and by variant', async () => {
    const link = await createLink();
    const rule = await addRule(link.id, {
      conditions: [{ type: 'country', values: ['BR'] }],
      url: 'https://example.com/br',
      variants: [{ url: A, weight: 50 }, { url: B, weight: 50 }],
    });
    const plain = await addRule(link.id, { conditions: [{ type: 'country', values: ['PT'] }], url: 'https://example.com/pt' });
    const brazil = await visitAll(link.slug, { 'cf-ipcountry': 'BR' });
    assert.ok(Math.abs(share(brazil, A) - 0.5) < 0.06, `A got ${share(brazil, A)}`);
    for (let i = 0; i < 3; i++) assert.equal((await go(link.slug, { headers: { 'cf-ipcountry': 'PT', 'user-agent': chromeOf(i) } })).location, 'https://example.com/pt');
    assert.equal((await go(link.slug, { headers: { 'cf-ipcountry': 'BR', 'user-agent': BOT_UA } })).location, 'https://example.com/br');
    await go(link.slug, { headers: { 'cf-ipcountry': 'US', 'user-agent': DESKTOP_UA } });
    await t.parts.clicks.flush();

    const stored = await t.parts.db('clicks').where({ link_id: link.id }).select('rule_id', 'variant', 'is_bot');
    assert.equal(stored.length, VISITORS + 5);
    assert.equal(stored.filter((click: { rule_id: string | null }) => click.rule_id === rule.id).length, VISITORS + 1);
    const groups = async (groupBy: string) => {
      const response = await t.api('GET', `/api/v1/links/${link.id}/analytics?group_by=${groupBy}`);
      assert.equal(response.status, 200, response.text);
      return response.body.data.map((group: { value: string | null; clicks: number }) => [group.value, group.clicks]);
    };
    const aCount = brazil.filter((location) => location === A).length;
    assert.deepEqual(await groups('rule'), [[rule.id, VISITORS], [plain.id, 3], [null, 1]]);
    assert.deepEqual(
      await groups('variant'),
      [[A, aCount], [B, VISITORS - aCount], [null, 4]].sort((x, y) => (y[1] as number) - (x[1] as number)),
    );
    const exported = await t.api('GET', `/api/v1/analytics/export?format=ndjson&link_id=${link.id}`, { validate: false }); // NDJSON, not a JSON body
    assert.equal(exported.status, 200, exported.text);
    const rows = exported.text.trim().split('\n').map((line) => JSON.parse(line) as { rule_id: string | null; variant: string | null });
    assert.equal(rows.filter((row) => row.rule_id === rule.id && (row.variant === A || row.variant === B)).length, VISITORS);
    const workspaceWide = await t.api('GET', `/api/v1/analytics?group_by=rule&include_bots=true`);
    assert.equal(workspaceWide.body.data.find((group: { value: string }) => group.value === rule.id).clicks, VISITORS + 1);
  });

  test('preview crawlers get Open Graph tags and no redirect, recorded as bot clicks; people are redirected', async () => {
    const link = await createLink({ url: 'https://example.com/article', preview: { title: 'Spring <sale>', description: 'Half price & more', image_url: 'https://cdn.example.com/og.png' } });
    assert.deepEqual(link.preview, { title: 'Spring <sale>', description: 'Half price & more', image_url: 'https://cdn.example.com/og.png' });
    const crawlers = [
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      'Twitterbot/1.0',
      'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)',
      'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
      'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
      'WhatsApp/2.23.20.0 A',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
      'TelegramBot (like TwitterBot)',
    ];
    for (const userAgent of crawlers) {
      const response = await go(link.slug, { headers: { 'user-agent': userAgent } });
      assert.equal(response.status, 200, userAgent);
      assert.equal(response.location, undefined);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /<meta property="og:title" content="Spring &lt;sale&gt;">/);
      assert.match(response.body, /<meta property="og:description" content="Half price &amp; more">/);
      assert.match(response.body, /<meta property="og:image" content="https:\/\/cdn.example.com\/og.png">/);
      assert.match(response.body, new RegExp(`<meta property="og:url" content="${link.short_url}">`));
      assert.match(response.body, /<meta name="twitter:card" content="summary_large_image">/);
    }
    assert.equal((await go(link.slug, { headers: { 'user-agent': DESKTOP_UA } })).location, 'https://example.com/article');
    assert.equal((await go(link.slug, { headers: { 'user-agent': BOT_UA } })).location, 'https://example.com/article', 'search crawlers still follow the redirect');
    await t.parts.clicks.flush();
    const clicks = await t.parts.db('clicks').where({ link_id: link.id }).select('is_bot');
    assert.equal(clicks.length, crawlers.length + 2);
    assert.equal(clicks.filter((click: { is_bot: unknown }) => !click.is_bot).length, 1);
    const counted = await t.api('GET', `/api/v1/links/${link.id}`);
    assert.equal(counted.body.clicks, 1);
    const plain = await createLink({ url: 'https://example.com/no-preview' });
    assert.equal((await go(plain.slug, { headers: { 'user-agent': 'Twitterbot/1.0' } })).location, 'https://example.com/no-preview');
  });
});
