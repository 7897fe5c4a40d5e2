// Click analytics at 1,000,000 and 10,000,000 clicks over 1,000 links and 90 days: p50 of a 30-day daily time series
// (one link, the workspace) and of the workspace's top 10 referrers, countries and devices, over HTTP and in-process.
// Clicks are written by the flusher's own code (ClickStore, links.clicks counters and RollupWriter) in transactions
// of BATCH clicks; only user-agent parsing is skipped (the clicks arrive already classified).
// MASK_BENCH_CLICKS=1000000,10000000 picks the sizes; MASK_BENCH_DIALECTS=sqlite,postgres adds Postgres
// (TEST_DATABASE_URL), which takes far longer to load.
import { createHash } from 'node:crypto';
import type { Engine } from '../../engine';
import { RollupWriter } from '../../engine/analytics/rollups';
import type { RecordedClick } from '../../engine/clicks';
import { clickStoreFor, countByLink } from '../../engine/store/clicks';
import type { Actor } from '../../engine/domain/actor';
import { dialectOf } from '../../engine/store/db';
import { newId } from '../../engine/support/ids';
import type { TestDialect } from '../../test/support/databases';
import { measureInterleaved, ms, openBenchEngine, printRows, prng, ratio, ROUNDS, sizeLabel as label, type BenchEngine, type Figure } from '../support';
import { partsOf } from '../../engine/wiring';

const SIZES = (process.env.MASK_BENCH_CLICKS ?? '1000000,10000000').split(',').map(Number);
const DIALECTS = (process.env.MASK_BENCH_DIALECTS ?? 'sqlite').split(',') as TestDialect[];
const LINKS = 1000;
const DAYS = 90;
const DAY_MS = 86_400_000;
const BATCH = 50_000;
export const DOMAIN = 'go.bench.test';
const VISITORS = 200_000;

const REFERRERS = [null, 'www.google.com', 't.co', 'www.facebook.com', 'www.linkedin.com', 'news.ycombinator.com', 'www.reddit.com', 'duckduckgo.com', 'www.bing.com', 'l.instagram.com',
  ...Array.from({ length: 30 }, (_, i) => `blog${i}.example.com`)];
const COUNTRIES = [null, 'US', 'IN', 'DE', 'GB', 'FR', 'BR', 'JP', 'CA', 'PK', 'NG', 'ID', 'MX', 'ES', 'IT', 'NL', 'SE', 'PL', 'TR', 'AU', 'KR', 'AR', 'ZA', 'EG', 'VN', 'PH', 'BD', 'RU', 'UA', 'CO',
  'CL', 'PE', 'MY', 'TH', 'SG', 'AE', 'SA', 'IL', 'IE', 'PT', 'BE', 'CH', 'AT', 'DK', 'NO', 'FI', 'NZ', 'KE', 'MA', 'RO'];
/** device, browser, os, bot */
const AGENTS: Array<[string, string | null, string | null, boolean]> = [
  ['desktop', 'Chrome', 'Windows', false], ['mobile', 'Mobile Safari', 'iOS', false], ['mobile', 'Chrome', 'Android', false], ['desktop', 'Safari', 'macOS', false],
  ['desktop', 'Edge', 'Windows', false], ['desktop', 'Firefox', 'Windows', false], ['tablet', 'Mobile Safari', 'iOS', false], ['mobile', 'Samsung Internet', 'Android', false],
  ['desktop', 'Chrome', 'macOS', false], ['desktop', 'Firefox', 'Linux', false], ['bot', null, null, true],
];

/** An index in [0, n), skewed towards 0 like real traffic (a few referrers, countries and links get most clicks). */
const skewed = (random: () => number, n: number) => Math.min(n - 1, Math.floor(n * random() ** 2.5));

/** Writes `count` clicks spread over the last 90 days through the flusher's writers, in transactions of BATCH clicks. */
export async function seedClicks(engine: Engine, actor: Actor, count: number): Promise<void> {
  const { db, links } = partsOf(engine);
  const created = [];
  for (let i = 0; i < LINKS; i += 100) {
    const outcomes = await links.createMany(actor, Array.from({ length: 100 }, (_, j) => ({ url: `https://example.com/p/${i + j}`, slug: `bench${i + j}`, domain: DOMAIN })));
    for (const outcome of outcomes) if ('link' in outcome) created.push(outcome.link);
  }
  const visitors = Array.from({ length: VISITORS }, (_, i) => createHash('sha256').update(`visitor ${i}`).digest('hex'));
  const writer = clickStoreFor(db);
  const rollups = new RollupWriter(db);
  const random = prng(7);
  const end = Date.now();
  const start = end - DAYS * DAY_MS;
  const step = (end - start) / count;
  for (let from = 0; from < count; from += BATCH) {
    const batch: RecordedClick[] = [];
    for (let i = from; i < Math.min(count, from + BATCH); i++) {
      const at = Math.floor(start + i * step + random() * step);
      const link = created[skewed(random, LINKS)];
      const referrerHost = REFERRERS[skewed(random, REFERRERS.length)];
      const [device, browser, os, bot] = AGENTS[random() < 0.05 ? AGENTS.length - 1 : skewed(random, AGENTS.length - 1)];
      const head = random() < 0.005;
      batch.push({
        id: newId('clk', at),
        linkId: link.id,
        workspaceId: actor.workspaceId,
        mode: actor.mode,
        at,
        url: link.url,
        shortUrl: link.short_url,
        domain: DOMAIN,
        slug: link.slug,
        referrer: referrerHost ? `https://${referrerHost}/` : null,
        referrerHost,
        country: COUNTRIES[skewed(random, COUNTRIES.length)],
        device,
        browser,
        os,
        bot,
        head,
        visitorHash: visitors[Math.floor(random() * VISITORS)],
        counted: !bot && !head,
      });
    }
    await db.transaction(async (trx) => {
      const inserted = await writer.insert(trx, batch);
      await writer.increment(trx, countByLink(inserted));
      await rollups.write(trx, inserted);
    });
  }
  if (dialectOf(db) === 'postgres') await db.raw('ANALYZE'); // what autovacuum does after a bulk load
}

interface Seeded {
  figures: Figure[];
}

function openSeeded(dialect: TestDialect, size: number): Promise<Seeded & BenchEngine> {
  return openBenchEngine(dialect, { defaultDomain: DOMAIN, rateLimitPerMinute: 100_000 }, async ({ engine, actor, baseUrl }) => {
    const started = Date.now();
    await seedClicks(engine, actor, size);
    const rows = async (table: string) => Number((await partsOf(engine).db(table).count({ n: '*' }))[0].n);
    console.log(
      `  ${dialect}: ${size.toLocaleString('en')} clicks written in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
        `(${(await rows('link_click_rollups')).toLocaleString('en')} link and ${(await rows('workspace_click_rollups')).toLocaleString('en')} workspace rollup rows)`,
    );
    const key = (await engine.keys.create({ workspaceId: actor.workspaceId, name: 'bench', mode: 'live', scopes: ['analytics:read'] })).secret;
    const oneLink = (await partsOf(engine).db('links').where({ workspace_id: actor.workspaceId, slug: 'bench0' }).first('id')).id as string;
    const get = async (query: string) => {
      const response = await fetch(`${baseUrl}/api/v1/analytics?${query}`, { headers: { authorization: `Bearer ${key}` } });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`GET /analytics?${query} answered ${response.status}: ${text.slice(0, 300)}`);
      return text;
    };
    const { analytics } = partsOf(engine);
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const bounds = Array.from({ length: 31 }, (_, i) => today - (30 - i) * DAY_MS);
    const filters = { includeBots: false };
    const figures: Figure[] = [
      { name: '30-day daily series, one link', query: `link_id=${oneLink}`, direct: () => analytics.queries.timeseries(actor, { ...filters, linkId: oneLink }, bounds) },
      { name: '30-day daily series, workspace', query: '', direct: () => analytics.queries.timeseries(actor, filters, bounds) },
      ...(['referrer', 'country', 'device'] as const).map((by) => ({
        name: `top 10 ${by === 'country' ? 'countrie' : by}s, workspace, 30 days`,
        query: `group_by=${by}&limit=10`,
        direct: () => analytics.queries.breakdown(actor, filters, by, bounds[0], bounds[30], 10),
      })),
    ].flatMap(({ name, query, direct }) => [
      { name: `${name} (HTTP)`, iterations: 100, fn: () => get(query) },
      { name: `${name} (in-process)`, iterations: 100, fn: direct },
    ]);
    return { figures };
  });
}

export async function run(): Promise<void> {
  const [small, large] = [Math.min(...SIZES), Math.max(...SIZES)];
  for (const dialect of DIALECTS) {
    const seeded: Array<Seeded & BenchEngine> = [];
    try {
      for (const size of [small, large]) seeded.push(await openSeeded(dialect, size));
      const [base, big] = await measureInterleaved(seeded.map((s) => s.figures));
      console.log(`\n${dialect}: p50 at ${label(small)} and ${label(large)} clicks (median of ${ROUNDS} alternating rounds; target ≤ 50 ms at 10M, ratio ≤ 1.5)`);
      printRows(
        seeded[0].figures.map((figure, i) => ({
          figure: figure.name,
          [label(small)]: ms(base[i]),
          [label(large)]: ms(big[i]),
          [`${label(large)}/${label(small)}`]: ratio(big[i], base[i]),
        })),
      );
    } finally {
      for (const s of seeded) await s.close();
    }
  }
}
