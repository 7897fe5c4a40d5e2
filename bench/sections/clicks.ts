// Click pipeline: (1) the click writer's throughput, batches of 1,000 synthetic clicks over 200 links written by the
// InlineBatchWriter (click rows, counters, usage, events check, rollups) into SQLite, and into Postgres when
// TEST_DATABASE_URL is set; (2) what a SIGKILL loses: an engine process under redirect load is killed (cold: as soon
// as it listens; warm: after a few seconds of load), a new engine on the same data starts (and replays the spool), and
// the stored clicks are compared with the 3xx answers the load generator received before the kill.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '../../engine';
import type { IdentifiedClick } from '../../engine/clicks';
import { createDb } from '../../engine/store/db';
import { partsOf } from '../../engine/wiring';
import { inlineBatchWriter } from '../../engine/wiring/clicks';
import { createTestDatabase, type TestDialect } from '../../test/support/databases';
import { createLink } from '../../test/support/link-fixtures';
import { DESKTOP_UA, visit } from '../../test/support/redirect-client';
import { benchSecret, printRows } from '../support';

const DOMAIN = 'go.mask.test';
const BATCH = Number(process.env.BENCH_CLICK_BATCH ?? 1000);
const BATCHES = Number(process.env.BENCH_CLICK_BATCHES ?? 30);
const AGENTS = [DESKTOP_UA, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'];

async function setup(dialect: TestDialect, links: number) {
  const database = await createTestDatabase(dialect);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-bench-'));
  const engine = createEngine({ databaseUrl: database.url, dataDir, defaultDomain: DOMAIN, logLevel: 'silent', env: {}, webhookWorkers: false, ...benchSecret(dialect) });
  await engine.start();
  const workspace = await partsOf(engine).workspaces.create({ name: 'Bench' });
  const made = [];
  for (let i = 0; i < links; i++) made.push(await createLink(engine, { workspaceId: workspace.id }));
  return { database, dataDir, engine, workspace, links: made };
}

async function writerThroughput(dialect: TestDialect): Promise<Record<string, string | number>> {
  const { database, dataDir, engine, workspace, links } = await setup(dialect, 200);
  const parts = partsOf(engine);
  const db = createDb(database.url);
  const writer = inlineBatchWriter(db, parts.clock, parts.outbox, parts.secret);
  let n = 0;
  const batch = (): IdentifiedClick[] =>
    Array.from({ length: BATCH }, (_, i) => {
      const link = links[(n + i * 7) % links.length];
      n++;
      return {
        id: `clk_${String(n).padStart(26, '0')}`,
        link: { id: link.id, workspaceId: workspace.id, mode: 'live', domain: link.domain, slug: link.slug, shortUrl: `https://${link.domain}/${link.slug}`, maxClicks: null },
        at: Date.now(),
        url: 'https://example.com/',
        userAgent: AGENTS[n % AGENTS.length],
        referrer: n % 3 ? 'https://news.example.org/a' : null,
        country: ['FR', 'US', 'PK', null][n % 4],
        address: `198.51.${(n >> 8) & 255}.${n & 255}`,
        head: false,
      };
    });
  try {
    await writer.write(batch()); // warm-up: prepared statements, connections
    const batches = Array.from({ length: BATCHES }, batch);
    const cpu = process.cpuUsage();
    const started = performance.now();
    // As the recorder does: as many batches committing at once as the writer has lanes.
    let next = 0;
    await Promise.all(Array.from({ length: writer.lanes }, async () => { while (next < batches.length) await writer.write(batches[next++]); }));
    const elapsed = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const clicks = BATCHES * BATCH;
    return {
      database: dialect,
      clicks,
      lanes: writer.lanes,
      'clicks/s': Math.round(clicks / (elapsed / 1000)),
      'µs/click (wall)': ((elapsed * 1000) / clicks).toFixed(1),
      'µs CPU/click (this process)': ((used.user + used.system) / clicks).toFixed(1),
    };
  } finally {
    await db.destroy();
    await engine.close();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const ENGINE_SCRIPT = path.join(__dirname, '..', '..', 'test', 'support', 'engine-process.ts');

function startEngine(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', ENGINE_SCRIPT], { env: { ...process.env, LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`engine exited with ${code}`)));
  });
  return { child, url };
}

async function sigkillLoss(dialect: TestDialect, warmMs: number, flushMs: string): Promise<Record<string, string | number>> {
  const { database, dataDir, engine, links } = await setup(dialect, 20);
  await engine.close();
  const secret = benchSecret(dialect).secret;
  const env = { DATABASE_URL: database.url, MASK_DATA_DIR: dataDir, MASK_DEFAULT_DOMAIN: DOMAIN, MASK_CLICK_FLUSH_MS: flushMs, WEBHOOK_WORKERS: 'false', ...(secret ? { MASK_SECRET: secret } : {}) };
  const db = createDb(database.url);
  try {
    const first = startEngine(env);
    const url = await first.url;
    let answered = 0;
    let stop = false;
    const load = async () => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await visit(url, links[i % links.length].path, { host: DOMAIN, headers: { 'user-agent': DESKTOP_UA } });
          if (res.status === 302 && !stop) answered++;
        } catch {
          return;
        }
      }
    };
    const loaders = Array.from({ length: 16 }, load);
    const killAt = performance.now() + warmMs + 1000;
    while (performance.now() < killAt) await new Promise((resolve) => setTimeout(resolve, 5));
    const answeredAtKill = answered;
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(loaders);
    await new Promise((resolve) => (first.child.exitCode !== null || first.child.signalCode !== null ? resolve(null) : first.child.once('exit', resolve)));
    // A new engine on the same data: it replays spool files of the dead one.
    const second = startEngine(env);
    await second.url;
    // Until the replay of the dead engine's spool has settled (the writer thread may take seconds to start under load).
    let last = -1;
    for (let i = 0; i < 60; i++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const now = Number((await db('clicks').count({ n: '*' }))[0].n);
      if (now === last && now >= answeredAtKill) break;
      if (now === last && i >= 15) break;
      last = now;
    }
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    const stored = Number((await db('clicks').count({ n: '*' }))[0].n);
    return { database: dialect, case: warmMs === 0 ? 'cold (kill 1 s after listen)' : `warm (kill after ${(warmMs + 1000) / 1000} s)`, flush: `${flushMs} ms`, '3xx before kill': answeredAtKill, stored, lost: Math.max(0, answeredAtKill - stored) };
  } finally {
    await db.destroy();
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const dialects: TestDialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  const only = process.env.BENCH_CLICKS; // `writer` or `kill`
  if (only !== 'kill') {
    console.log(`\nClick writer throughput (${BATCHES} batches of ${BATCH}, 200 links)`);
    const rows = [];
    for (const dialect of dialects) rows.push(await writerThroughput(dialect));
    printRows(rows);
  }
  if (only !== 'writer') {
    console.log('\nSIGKILL under redirect load (16 connections): 3xx answered before the kill vs clicks stored after a restart');
    const rows = [];
    for (const dialect of dialects) {
      for (const flushMs of (process.env.BENCH_FLUSH_MS ?? '50').split(',')) {
        rows.push(await sigkillLoss(dialect, 0, flushMs));
        rows.push(await sigkillLoss(dialect, 4000, flushMs));
      }
    }
    printRows(rows);
  }
}
