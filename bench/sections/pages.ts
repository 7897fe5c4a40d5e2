// Bio pages and QR codes on SQLite. The engine runs in a child process so the load generator never shares its event
// loop; the public page (20 items) is measured against /healthz, the cheapest Express route of the same app, under the
// same autocannon load. Then a QR code drawn fresh against one served from the renderer's cache.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../engine';
import { QrRenderer } from '../../engine/domain/qr/renderer';
import { ms, printRows, ratio, timeIt } from '../support';
import { partsOf } from '../../engine/wiring';

interface LoadResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<LoadResult>;

const SECONDS = 5;
const CONNECTIONS = 20;
const ITEMS = 20;
const QR = { format: 'png', size: 512, margin: 4, error_correction: 'M', foreground: '#000000', background: '#ffffff' } as const;

/** The server side, run as `node --import tsx bench/sections/pages.ts page-server <dir>`; stops on any message. */
async function servePage(dir: string): Promise<void> {
  const engine = createEngine({ databaseUrl: `sqlite:${path.join(dir, 'mask.sqlite')}`, defaultDomain: 'go.mask.bench', logLevel: 'warn', env: {} });
  const server = await engine.listen(0, '127.0.0.1');
  const workspace = await engine.workspaces.create({ name: 'Bench' });
  const actor = { workspaceId: workspace.id, mode: 'live' as const, keyId: null, requestId: null, scopes: ['admin' as const] };
  const items = Array.from({ length: ITEMS }, (_, i) => ({ label: `Item number ${i + 1}`, url: `https://example.com/${i}` }));
  const page = await partsOf(engine).pages.create(actor, { handle: 'bench', title: 'Bench', description: 'A page of twenty items.', theme: 'auto', items });
  await partsOf(engine).pages.setPublished(actor, page.id, true);
  process.once('message', () => void engine.close().then(() => process.exit(0)));
  process.send?.({ url: server.url });
}

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-bench-pages-'));
  const child = spawn(process.execPath, ['--import', 'tsx', __filename, 'page-server', dir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    const { url } = await new Promise<{ url: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { url: string }));
      child.once('exit', (code) => reject(new Error(`page server exited (${code})`)));
    });
    const rows: Array<Record<string, string | number>> = [];
    let baseline = 0;
    for (const [name, route] of [['/healthz (baseline)', '/healthz'], [`/p/bench (${ITEMS} items)`, '/p/bench']] as const) {
      const result = await autocannon({ url: `${url}${route}`, connections: CONNECTIONS, duration: SECONDS, headers: { host: 'go.mask.bench' } });
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      baseline ||= result.requests.average;
      rows.push({ route: name, 'req/s': Math.round(result.requests.average), p50: ms(result.latency.p50), p99: ms(result.latency.p99), 'vs baseline': ratio(result.requests.average, baseline) });
    }
    printRows(rows);
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const renderer = new QrRenderer();
  let n = 0;
  const fresh = await timeIt(() => renderer.render(`https://go.mask.bench/fresh${n++}`, QR), 100);
  const cached = await timeIt(() => renderer.render('https://go.mask.bench/cached', QR), 2000);
  printRows([
    { 'QR 512 px PNG': 'drawn', p50: ms(fresh.p50), p99: ms(fresh.p99) },
    { 'QR 512 px PNG': 'from cache', p50: ms(cached.p50), p99: ms(cached.p99) },
  ]);
}

if (require.main === module && process.argv[2] === 'page-server') {
  servePage(process.argv[3]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
