// Redirect latency during a flood of keyless QR codes: single redirects are timed one after another, first alone,
// then while 10 clients keep asking for uncached 2048 px codes at error correction H (each must be drawn). The engine
// runs in a child process (SQLite, click capture on), once with QR threads (the default) and once drawing on the
// event loop (MASK_QR_THREADS=0), so the ratio shows what the threads buy. Target: p99 during a flood ≤ 2× without.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '../../engine';
import { createLink } from '../../test/support/link-fixtures';
import { ms, printRows, ratio } from '../support';

const REDIRECTS = 100;
/** A redirect phase stops early after this long (drawing on the event loop, each redirect may wait seconds). */
const PHASE_MS = 20_000;
const FLOOD_CLIENTS = 10;
const HOST = 'go.mask.bench';

async function serveEngine(qrThreads: number, file: string): Promise<void> {
  const engine = createEngine({ databaseUrl: `sqlite:${file}`, defaultDomain: HOST, logLevel: 'warn', env: {}, anonymousRateLimitPerMinute: 100_000, qrThreads });
  const server = await engine.listen(0, '127.0.0.1');
  const workspace = await engine.workspaces.create({ name: 'Bench' });
  const link = await createLink(engine, { workspaceId: workspace.id, domain: HOST, url: 'https://example.com/landing' });
  process.on('message', async () => {
    await engine.close();
    process.exit(0);
  });
  process.send?.({ port: Number(new URL(server.url).port), path: link.path });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function get(port: number, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: target, agent, headers: { host: HOST } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
  });
}

async function timeRedirects(port: number, target: string): Promise<{ p50: number; p99: number; n: number }> {
  const samples: number[] = [];
  const until = performance.now() + PHASE_MS;
  for (let i = 0; i < REDIRECTS && performance.now() < until; i++) {
    const started = performance.now();
    const status = await get(port, target);
    if (status !== 302) throw new Error(`redirect answered ${status}`);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)] as number, p99: samples[Math.floor(samples.length * 0.99)] as number, n: samples.length };
}

async function measure(qrThreads: number): Promise<Array<Record<string, string>>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-bench-qr-'));
  const child: ChildProcess = fork(__filename, ['engine-server', String(qrThreads), path.join(dir, 'bench.sqlite')], { execArgv: ['--import', 'tsx'] });
  try {
    const { port, path: slugPath } = await new Promise<{ port: number; path: string }>((resolve, reject) => {
      child.once('message', (message) => resolve(message as { port: number; path: string }));
      child.once('exit', (code) => reject(new Error(`engine exited ${code}`)));
    });
    await timeRedirects(port, slugPath); // warm-up
    const alone = await timeRedirects(port, slugPath);
    let flooding = true;
    let drawn = 0;
    let sequence = 0;
    const flooder = async () => {
      while (flooding) {
        const n = sequence++;
        const green = (n % 64).toString(16).padStart(2, '0');
        await get(port, `${slugPath}/qr?size=2048&error_correction=H&margin=${Math.floor(n / 64) % 17}&foreground=%2300${green}00`);
        drawn += 1;
      }
    };
    const flood = Promise.all(Array.from({ length: FLOOD_CLIENTS }, flooder));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const during = await timeRedirects(port, slugPath);
    flooding = false;
    await flood;
    const mode = qrThreads === 0 ? 'on the event loop' : `${qrThreads} QR thread(s)`;
    return [
      { drawing: mode, load: 'alone', 'redirect p50': ms(alone.p50), 'redirect p99': ms(alone.p99), 'p99 vs alone': '1.00×', redirects: String(alone.n), 'codes drawn': '-' },
      { drawing: mode, load: `${FLOOD_CLIENTS} clients of 2048 px QR`, 'redirect p50': ms(during.p50), 'redirect p99': ms(during.p99), 'p99 vs alone': ratio(during.p99, alone.p99), redirects: String(during.n), 'codes drawn': String(drawn) },
    ];
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const threads = Math.min(4, Math.max(1, os.availableParallelism() - 1));
  const rows = [...(await measure(threads)), ...(await measure(0))];
  printRows(rows);
  console.log(`target: redirect p99 during the flood ≤ 2× alone with QR threads (up to ${REDIRECTS} sequential redirects or ${PHASE_MS / 1000} s per phase; ${os.availableParallelism()} cores, load ${os.loadavg()[0]?.toFixed(1)})`);
  agent.destroy();
}

if (process.argv[2] === 'engine-server') void serveEngine(Number(process.argv[3]), process.argv[4] as string);
