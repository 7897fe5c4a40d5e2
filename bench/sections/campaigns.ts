// Conversion tracking: lead/sale ingestion rate through the embedded engine's tracker (each event attributed to a
// stored click, in its own transaction with its customer row and outbox event; target ≥ 2,000 events/s), and the p50
// of campaign analytics (clicks, uniques, leads, sales, revenue) at MASK_BENCH_CAMPAIGN_CLICKS clicks (default
// 1,000,000) and MASK_BENCH_CONVERSIONS conversions (default 100,000; target ≤ 50 ms). Small quick run:
// MASK_BENCH_CAMPAIGN_CLICKS=20000 MASK_BENCH_CONVERSIONS=5000 npm run bench campaigns
import { performance } from 'node:perf_hooks';
import { partsOf } from '../../engine/wiring';
import { newId } from '../../engine/support/ids';
import type { ConversionRow } from '../../engine/store/conversions';
import { ms, openBenchEngine, printRows, prng, sizeLabel, timeIt } from '../support';
import { DOMAIN, seedClicks } from './analytics';

const CLICKS = Number(process.env.MASK_BENCH_CAMPAIGN_CLICKS ?? 1_000_000);
const CONVERSIONS = Number(process.env.MASK_BENCH_CONVERSIONS ?? 100_000);
const CAMPAIGNS = 20;
const INGESTED = Number(process.env.MASK_BENCH_INGESTED ?? 4_000);
const CHUNK = 500;
const CALLERS = 50;

export async function run(): Promise<void> {
  const bench = await openBenchEngine('sqlite', { defaultDomain: DOMAIN, rateLimitPerMinute: 100_000 }, async ({ engine, actor }) => {
    const started = performance.now();
    await seedClicks(engine, actor, CLICKS);
    const { db, campaigns } = partsOf(engine);
    const campaignIds: string[] = [];
    for (let i = 0; i < CAMPAIGNS; i++) campaignIds.push((await campaigns.create(actor, { name: `Campaign ${i}`, description: null, starts_at: null, ends_at: null, utm_source: null, utm_medium: null, utm_campaign: null, utm_term: null, utm_content: null })).id);
    const links: Array<{ id: string }> = await db('links').where({ workspace_id: actor.workspaceId }).select('id').orderBy('id');
    for (const [i, link] of links.entries()) await db('links').where({ id: link.id }).update({ campaign_id: campaignIds[i % CAMPAIGNS] });
    const campaignOf = new Map(links.map((link, i) => [link.id, campaignIds[i % CAMPAIGNS]]));

    // Conversions attributed to stored clicks, the way the tracker writes them.
    const random = prng(11);
    const clickCount = Number((await db('clicks').count({ n: '*' }))[0].n);
    for (let from = 0; from < CONVERSIONS; from += CHUNK) {
      const offset = Math.floor(random() * Math.max(1, clickCount - CHUNK));
      const clicks: Array<{ id: string; link_id: string; created_at: number; country: string | null; device: string; referrer_host: string | null }> = await db('clicks')
        .orderBy('id')
        .offset(offset)
        .limit(Math.min(CHUNK, CONVERSIONS - from))
        .select('id', 'link_id', 'created_at', 'country', 'device', 'referrer_host');
      const rows: ConversionRow[] = clicks.map((click, i) => {
        const sale = random() < 0.3;
        const at = Number(click.created_at) + Math.floor(random() * 3_600_000);
        return {
          id: newId('conv', at),
          workspace_id: actor.workspaceId,
          mode: 'live',
          type: sale ? 'sale' : 'lead',
          event_name: sale ? 'Purchase' : 'Sign up',
          customer_id: `customer-${from + i}`,
          click_id: click.id,
          link_id: click.link_id,
          campaign_id: campaignOf.get(click.link_id) ?? null,
          lead_id: null,
          clicked_at: Number(click.created_at),
          country: click.country,
          device: click.device,
          referrer_host: click.referrer_host,
          amount: sale ? 500 + Math.floor(random() * 20_000) : null,
          currency: sale ? (random() < 0.8 ? 'USD' : 'EUR') : null,
          idempotency_key: sale ? `order-${from + i}` : null,
          request_hash: null,
          unattributed_reason: null,
          metadata: null,
          created_at: Math.min(at, Date.now() - 1),
        };
      });
      await db.batchInsert('conversions', rows as unknown as Array<Record<string, unknown>>, 250);
    }
    console.log(`  seeded ${CLICKS.toLocaleString('en')} clicks and ${CONVERSIONS.toLocaleString('en')} conversions in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return { campaignIds, clickIds: (await db('clicks').orderBy('created_at', 'desc').limit(INGESTED).select('id')).map((row: { id: string }) => row.id) };
  });

  try {
    const { conversions } = partsOf(bench.engine);
    const actor = bench.actor;

    // Ingestion: INGESTED events, half leads, half sales of the same customers, each against a stored click; by
    // callers waiting for each answer, one at a time and `callers` at once (events arriving together share a commit).
    const ingest = async (callers: number, run: number) => {
      let next = 0;
      const started = performance.now();
      const caller = async () => {
        for (let i = next++; i < INGESTED; i = next++) {
          const click_id = bench.clickIds[i % bench.clickIds.length];
          const customer_id = `bench-${run}-${i - (i % 2)}`;
          if (i % 2 === 0) await conversions.tracker.lead(actor, { click_id, customer_id, event_name: 'Sign up' });
          else await conversions.tracker.sale(actor, { click_id, customer_id, event_name: 'Purchase', amount: 4999, currency: 'USD', idempotency_key: `bench-order-${run}-${i}` });
        }
      };
      await Promise.all(Array.from({ length: callers }, caller));
      return (performance.now() - started) / 1000;
    };
    const sequential = await ingest(1, 1);
    const concurrent = await ingest(CALLERS, 2);

    const now = new Date();
    const campaign = bench.campaignIds[0];
    const query = (group_by: 'timeseries' | 'country' | 'link', interval: 'day' = 'day') => ({
      group_by, interval, timezone: 'UTC', limit: 10, include_bots: false, campaign_id: campaign,
      start: new Date(now.getTime() - 30 * 86_400_000).toISOString(), end: now.toISOString(),
    });
    const report = (group_by: 'timeseries' | 'country' | 'link') => () => conversions.report(actor, query(group_by), now.getTime(), async () => undefined);
    const figures = [
      { figure: 'campaign 30-day daily series (clicks, uniques, leads, sales, revenue)', ...(await timeIt(report('timeseries'), 50)) },
      { figure: 'campaign top 10 countries, 30 days', ...(await timeIt(report('country'), 50)) },
      { figure: 'campaign top 10 links, 30 days', ...(await timeIt(report('link'), 50)) },
    ];
    console.log(`\nsqlite, ${sizeLabel(CLICKS)} clicks and ${sizeLabel(CONVERSIONS)} conversions in ${CAMPAIGNS} campaigns`);
    printRows([
      { figure: 'lead/sale ingestion, embedded, one caller', value: `${Math.round(INGESTED / sequential).toLocaleString('en')} events/s`, detail: `${INGESTED} events in ${sequential.toFixed(2)} s` },
      { figure: `lead/sale ingestion, embedded, ${CALLERS} callers (target ≥ 2,000 events/s)`, value: `${Math.round(INGESTED / concurrent).toLocaleString('en')} events/s`, detail: `${INGESTED} events in ${concurrent.toFixed(2)} s` },
      ...figures.map((f) => ({ figure: `${f.figure} p50 (target ≤ 50 ms)`, value: ms(f.p50), detail: `p95 ${ms(f.p95)}` })),
    ]);
  } finally {
    await bench.close();
  }
}
