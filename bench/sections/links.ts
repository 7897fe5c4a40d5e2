// Links API at 1,000 and 1,000,000 links: create one, bulk 100, and list pages (first and deep, with and without a tag
// filter, by created_at and by clicks), on SQLite and, when TEST_DATABASE_URL is set, on Postgres. Each figure is a
// p50; the ratio column compares the largest size with the smallest, measured in the same run (target ≤ 1.5).
// MASK_BENCH_LINK_SIZES=1000,100000 picks other sizes for a quicker run.
import type { Knex } from 'knex';
import type { Engine } from '../../engine';
import type { Actor } from '../../engine/domain/actor';
import { linkListScope, type LinkListOptions } from '../../engine/domain/links/service';
import { dialectOf } from '../../engine/store/db';
import { newId } from '../../engine/support/ids';
import type { TestDialect } from '../../test/support/databases';
import { measureInterleaved, ms, openBenchEngine, printRows, prng, ratio, ROUNDS, sizeLabel as label, type Figure } from '../support';
import { partsOf } from '../../engine/wiring';

const SIZES = (process.env.MASK_BENCH_LINK_SIZES ?? '1000,1000000').split(',').map(Number);
const TAG = 'campaign-q1';
const TAG_SHARE = 0.1;
const DOMAIN = 'go.bench.test';

interface Context {
  engine: Engine;
  baseUrl: string;
  actor: Actor;
  /** A fresh admin key per series, so an API rate limit never throttles the measurement. */
  newKey(): Promise<string>;
}

/**
 * The fast path: batched multi-row inserts in transactions, straight into the tables the API writes (links and the
 * link_tags index rows), never through the API. Half the links have no clicks, as in real workspaces, so the clicks
 * sort has long runs of equal values.
 */
async function seedLinks(db: Knex, actor: Actor, count: number): Promise<void> {
  const random = prng(42);
  const start = Date.now() - count * 10;
  const BLOCK = 20_000;
  for (let from = 0; from < count; from += BLOCK) {
    const links: Record<string, unknown>[] = [];
    const tags: Record<string, unknown>[] = [];
    for (let i = from; i < Math.min(count, from + BLOCK); i++) {
      const at = start + i * 10;
      const clicks = random() < 0.5 ? 0 : Math.floor(random() * 10_000);
      const tagList = [...(random() < TAG_SHARE ? [TAG] : []), ...(random() < 0.2 ? ['social'] : [])];
      const id = newId('lnk', at);
      links.push({
        id,
        workspace_id: actor.workspaceId,
        mode: actor.mode,
        domain: DOMAIN,
        slug: `b${i.toString(36).padStart(6, '0')}`,
        url: `https://example.com/products/${i}?ref=bench`,
        title: `Product ${i}`,
        tags: JSON.stringify(tagList),
        clicks,
        created_at: at,
        updated_at: at,
      });
      for (const tag of tagList) {
        tags.push({ link_id: id, workspace_id: actor.workspaceId, mode: actor.mode, tag, created_at: at, updated_at: at, clicks });
      }
    }
    await db.transaction(async (trx) => {
      // 400 rows per statement: SQLite compiles a multi-row insert to a compound SELECT of at most 500 terms.
      for (let i = 0; i < links.length; i += 400) await trx('links').insert(links.slice(i, i + 400));
      for (let i = 0; i < tags.length; i += 400) await trx('link_tags').insert(tags.slice(i, i + 400));
    });
  }
  if (dialectOf(db) === 'postgres') await db.raw('ANALYZE links, link_tags'); // what autovacuum does after a bulk load
}

/** A signed cursor pointing at the middle of a list, found with an (untimed) OFFSET query. */
async function middleCursor(ctx: Context, options: LinkListOptions): Promise<string> {
  const { db, paginator } = partsOf(ctx.engine);
  const { sort, order, tag } = options;
  const table = tag ? 'link_tags' : 'links';
  const idColumn = tag ? 'link_id' : 'id';
  const filtered = db(table).where({ workspace_id: ctx.actor.workspaceId, mode: ctx.actor.mode, ...(tag ? { tag } : {}) });
  const [{ n }] = await filtered.clone().count({ n: '*' });
  const row = await filtered.clone().select({ v: sort, i: idColumn }).orderBy([{ column: sort, order }, { column: idColumn, order }]).offset(Math.floor(Number(n) / 2)).first();
  return paginator.encode({ s: sort, o: order, v: row.v, i: row.i }, linkListScope(ctx.actor, options));
}

async function request(ctx: Context, key: string, method: string, path: string, body?: unknown, expected = 200): Promise<unknown> {
  const response = await fetch(`${ctx.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status !== expected) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** What is timed on one engine; the same list, in the same order, for every size. */
async function figuresOf(ctx: Context): Promise<Figure[]> {
  const figures: Figure[] = [];
  const { links } = partsOf(ctx.engine);
  for (const sort of ['created_at', 'clicks'] as const) {
    for (const tag of [undefined, TAG]) {
      const options: LinkListOptions = { limit: 25, sort, order: 'desc', tag };
      const deep = await middleCursor(ctx, options);
      for (const [page, cursor] of [['first', undefined], ['deep', deep]] as const) {
        const name = `list ${page} page, ${sort}${tag ? ', tag' : ''}`;
        const query = `/api/v1/links?sort=${sort}${tag ? `&tag=${tag}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const key = await ctx.newKey();
        figures.push({ name: `${name} (HTTP)`, iterations: 150, fn: () => request(ctx, key, 'GET', query) });
        figures.push({ name: `${name} (in-process)`, iterations: 300, fn: () => links.list(ctx.actor, { ...options, cursor }) });
      }
    }
  }
  let n = 0;
  const draft = (prefix: string, tags: string[]) => ({ url: `https://example.com/${prefix}/${n++}`, tags });
  const hundred = () => Array.from({ length: 100 }, () => draft('bulk', ['bench', 'bulk']));
  const [createKey, bulkKey] = [await ctx.newKey(), await ctx.newKey()];
  figures.push(
    { name: 'create one link (HTTP)', iterations: 200, fn: () => request(ctx, createKey, 'POST', '/api/v1/links', draft('new', ['bench']), 201) },
    { name: 'create one link (in-process)', iterations: 200, fn: () => links.create(ctx.actor, draft('own', ['bench'])) },
    { name: 'bulk create 100 links (HTTP)', iterations: 20, fn: () => request(ctx, bulkKey, 'POST', '/api/v1/links/bulk', { links: hundred() }) },
    { name: 'bulk create 100 links (in-process)', iterations: 20, fn: () => links.createMany(ctx.actor, hundred()) },
  );
  return figures;
}

function openSeeded(dialect: TestDialect, size: number): Promise<Context & { close(): Promise<void> }> {
  return openBenchEngine(dialect, { defaultDomain: DOMAIN }, async ({ engine, actor }) => {
    const started = Date.now();
    await seedLinks(partsOf(engine).db, actor, size);
    console.log(`  ${dialect}: seeded ${size.toLocaleString('en')} links in ${((Date.now() - started) / 1000).toFixed(1)} s (fast path)`);
    const newKey = async () => (await engine.keys.create({ workspaceId: actor.workspaceId, name: 'bench', mode: 'live', scopes: ['admin'] })).secret;
    return { newKey };
  });
}

export async function run(): Promise<void> {
  const dialects: TestDialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const [small, large] = [Math.min(...SIZES), Math.max(...SIZES)];
  for (const dialect of dialects) {
    const engines: Array<Awaited<ReturnType<typeof openSeeded>>> = [];
    try {
      for (const size of [small, large]) engines.push(await openSeeded(dialect, size));
      const plans: Figure[][] = [];
      for (const engine of engines) plans.push(await figuresOf(engine));
      const [base, big] = await measureInterleaved(plans);
      const names = plans[0].map((figure) => figure.name);
      console.log(`\n${dialect}: p50 at ${label(small)} and ${label(large)} links (median of ${ROUNDS} alternating rounds)`);
      printRows(
        names.map((name, i) => ({ figure: name, [label(small)]: ms(base[i]), [label(large)]: ms(big[i]), [`${label(large)}/${label(small)}`]: ratio(big[i], base[i]) })),
      );
    } finally {
      for (const engine of engines) await engine.close();
    }
  }
}
