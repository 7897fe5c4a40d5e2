// The engine side of `npm run bench redirect`: the built engine (dist/engine, what `npm start` runs), not the
// TypeScript sources under tsx, so its memory and CPU are those of the shipped code. Run by the bench as
// `node bench/engine-server.js <sqlite file> <links>` with MASK_BENCH_RULES (the smart-routing links' rules, JSON)
// and an IPC channel: it answers 'ready', then 'usage', 'stored' (with the clicks spooled so far) and 'stop' requests.
const path = require('node:path');
const { URL } = require('node:url');

const dist = path.join(__dirname, '..', 'dist', 'engine');
const { createEngine } = require(dist);
const { createDb } = require(path.join(dist, 'store', 'db'));
const { partsOf } = require(path.join(dist, 'wiring'));
const { systemActor } = require(path.join(dist, 'domain', 'actor'));
const { limitHeapGrowth } = require(path.join(dist, 'support', 'heap-growth'));

async function serve(file, linkCount, routingRules) {
  const engine = createEngine({ databaseUrl: `sqlite:${file}`, defaultDomain: 'go.mask.bench', logLevel: 'warn', env: {} });
  limitHeapGrowth(engine.config.heapGrowthPercent); // as `mask start` does
  const server = await engine.listen(0, '127.0.0.1');
  const workspace = await engine.workspaces.create({ name: 'Bench' });
  const { links, rules, clicks } = partsOf(engine);
  const actor = systemActor(workspace.id);
  const paths = [];
  for (let i = 0; i < linkCount; i++) paths.push(`/${(await links.create(actor, { url: `https://example.com/landing/${i}` })).slug}`);
  // Three more links for the smart-routing section: plain, 20 rules none matching, 20 rules the last matching.
  const routedLink = async (linkRules) => {
    const link = await links.create(actor, { url: 'https://example.com/routed' });
    if (linkRules) await rules.replace(actor, link.id, linkRules);
    return `/${link.slug}`;
  };
  const routed = { plain: await routedLink(null), none: await routedLink(routingRules.none), last: await routedLink(routingRules.last) };
  const send = (message) => new Promise((resolve) => process.send(message, () => resolve()));
  // A connection of its own reads what the click writer has committed, as a reporting query would (WAL: no blocking).
  const reader = createDb(`sqlite:${file}`);
  const storedClicks = async () => Number((await reader('links').sum({ counted: 'clicks' }))[0].counted);
  process.on('message', async (message) => {
    if (message.type === 'usage') {
      const cpu = process.cpuUsage();
      await send({ type: 'usage', rss: process.memoryUsage().rss, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    if (message.type === 'stored') await send({ type: 'stored', counted: await storedClicks(), spooled: clicks.stats.spooled });
    if (message.type === 'stop') {
      server.closeIdleConnections();
      await engine.close();
      const counted = await storedClicks();
      const [{ rows }] = await reader('clicks').count({ rows: '*' });
      await reader.destroy();
      await send({ type: 'stopped', counted, rows: Number(rows) });
      process.exit(0);
    }
  });
  await send({ type: 'ready', port: Number(new URL(server.url).port), paths, routed });
}

serve(process.argv[2], Number(process.argv[3]), JSON.parse(process.env.MASK_BENCH_RULES)).catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
