// Redirect throughput: a bare node:http 302 server against the built engine (bench/engine-server.js: SQLite default,
// click capture on, 1,000 links, requests spread over all of them). Each server runs in its own child process so the load generator never
// shares its event loop; rounds alternate with the same autocannon settings. A round is a run of fixed-size loads
// (about CHUNK_SECONDS each, sized from the server's latest rate) until ROUND_SECONDS have passed: fixed sizes make
// autocannon wait for every response, so each 3xx it received can be matched against the engine's counted clicks
// after a graceful stop, and chaining them keeps every round at least ROUND_SECONDS however busy the machine is.
// After every engine round the bench polls the stored click count until it matches the 3xx answers so far (catch-up),
// and one more pair of rounds pins the server to one core and the load generator to the other with taskset.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchRules, ROUTING_RULES, ROUTING_TARGET, ruleEvaluationMicros } from '../routing-cost';
import { ensureEngineBuilt, printRows } from '../support';

/** The engine's process: the built engine, as `npm start` runs it (see the file). */
const ENGINE_SERVER = path.join(__dirname, '..', 'engine-server.js');
/** The Node flags `npm start` gives the engine (package.json), so the bench measures the engine as it is started. */
const START_FLAGS = (JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));

/** The part of autocannon's API and result used here (it ships no types). */
interface LoadResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '3xx': number;
}
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<LoadResult>;

const CONNECTIONS = 50;
const LINKS = 1000;
/** MASK_BENCH_ROUND_SECONDS=60: the sustained run (every click stored within a second of the load stopping, RSS flat). */
const ROUND_SECONDS = Number(process.env.MASK_BENCH_ROUND_SECONDS ?? 12);
const CHUNK_SECONDS = 6;
const WARMUP_SECONDS = 4;
const ROUNDS_EACH = 2;
const STOP_TIMEOUT_MS = 60_000;
const ROUTING_ROUND_SECONDS = Number(process.env.MASK_BENCH_ROUTING_SECONDS ?? 4);
/** Rounds per kind of routed link; the order of the three kinds rotates every round and each kind's median is used. */
const ROUTING_ROUNDS = 5;
const CATCH_UP_POLL_MS = 20;
const CATCH_UP_GIVE_UP_MS = 60_000;
const CATCH_UP_TARGET_MS = 1000;
const CPU_RATIO_TARGET = 1.5;
const RSS_TARGET_MIB = 200;
const RSS_SAMPLE_MS = 500;
const USER_AGENT = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

/** A server's resident memory and the CPU time all its threads have used so far. */
interface Usage {
  rss: number;
  cpuMs: number;
}

type Message =
  | { type: 'ready'; port: number; paths: string[]; routed?: { plain: string; none: string; last: string } }
  | ({ type: 'usage' } & Usage)
  | { type: 'stored'; counted: number; spooled: number }
  | { type: 'stopped'; counted: number; rows: number };

const BARE_SERVER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  res.writeHead(302, { Location: 'https://example.com/landing', 'Cache-Control': 'private, no-store, max-age=0', 'Content-Length': '0' });
  res.end();
});
server.keepAliveTimeout = 65000;
server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port, paths: ['/bare'] }));
process.on('message', (m) => {
  if (m.type === 'usage') {
    const cpu = process.cpuUsage();
    process.send({ type: 'usage', rss: process.memoryUsage().rss, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
  if (m.type !== 'stop') return;
  server.close(() => process.send({ type: 'stopped', counted: 0, rows: 0 }, () => process.exit(0)));
  server.closeAllConnections();
});`;

class ServerProcess {
  private readonly waiting = new Map<string, (message: Message) => void>();
  port = 0;
  paths: string[] = [];
  routed: { plain: string; none: string; last: string } | undefined;

  constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: Message) => {
      this.waiting.get(message.type)?.(message);
      this.waiting.delete(message.type);
    });
  }

  private next<T extends Message['type']>(type: T, timeoutMs = STOP_TIMEOUT_MS): Promise<Extract<Message, { type: T }>> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${this.name} exited (${code}) while waiting for "${type}"`));
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${type}" within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(type, (message) => {
        clearTimeout(timer);
        // Removed once answered: a run asks for usage dozens of times.
        this.child.off('exit', onExit);
        resolve(message as Extract<Message, { type: T }>);
      });
      this.child.once('exit', onExit);
    });
  }

  async ready(): Promise<void> {
    const message = await this.next('ready');
    this.port = message.port;
    this.paths = message.paths;
    this.routed = message.routed;
  }

  usage(): Promise<Usage> {
    const reply = this.next('usage');
    this.child.send({ type: 'usage' });
    return reply;
  }

  /** Counted clicks stored so far, and clicks the engine has spooled to disk since it started. */
  storedClicks(): Promise<{ counted: number; spooled: number }> {
    const reply = this.next('stored');
    this.child.send({ type: 'stored' });
    return reply;
  }

  /** Runs this server's threads on `cores` only (taskset's list syntax, e.g. "0" or "0-1"). */
  pin(cores: string): void {
    if (this.child.pid !== undefined) pinProcess(this.child.pid, cores);
  }

  async stop(): Promise<{ counted: number; rows: number }> {
    const reply = this.next('stopped');
    this.child.send({ type: 'stop' });
    try {
      return await reply;
    } finally {
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function pinProcess(pid: number, cores: string): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cores, String(pid)], { stdio: 'ignore' });
}

function canPin(): boolean {
  if (os.cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Milliseconds from now until the engine has stored `expected` clicks; null when it has not within CATCH_UP_GIVE_UP_MS. */
async function catchUp(engine: ServerProcess, expected: number): Promise<number | null> {
  const started = Date.now();
  while ((await engine.storedClicks()).counted < expected) {
    if (Date.now() - started > CATCH_UP_GIVE_UP_MS) return null;
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  }
  return Date.now() - started;
}

function load(server: ServerProcess, amount: number): Promise<LoadResult> {
  return autocannon({
    url: `http://127.0.0.1:${server.port}`,
    connections: CONNECTIONS,
    pipelining: 1,
    amount,
    headers: { 'user-agent': USER_AGENT },
    requests: server.paths.map((p) => ({ method: 'GET', path: p })),
  });
}

interface Round {
  server: string;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p99: number;
  rss: number;
  /** CPU time of the server process (every thread: the engine's click writer included) per request, µs. */
  cpuPerRequest: number;
  /** CPU time of this process, the load generator, per request, µs: it shares the cores with the server. */
  loadCpuPerRequest: number;
  threeXx: number;
  errors: number;
  /** Engine rounds: ms after the round until every click answered so far was stored. */
  catchUpMs?: number | null;
  /** Engine rounds: clicks spooled to disk during the round (the database is healthy here: the target is none). */
  spooled?: number;
}

/** Loads `server` for at least `seconds`, in fixed-size runs; latency percentiles are request-weighted means of the runs'. */
async function measure(server: ServerProcess, seconds: number, startRate: number): Promise<Round> {
  const round: Round = { server: server.name, requests: 0, seconds: 0, rps: startRate, p50: 0, p99: 0, rss: 0, cpuPerRequest: 0, loadCpuPerRequest: 0, threeXx: 0, errors: 0 };
  const before = await server.usage();
  const loadBefore = process.cpuUsage();
  // RSS peaks between collections: sampled during the load, not only after it (one usage request at a time).
  let loading = true;
  const sampled = (async () => {
    while (loading) {
      round.rss = Math.max(round.rss, (await server.usage()).rss);
      await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
    }
  })();
  while (round.seconds < seconds) {
    const result = await load(server, Math.max(CONNECTIONS * 20, Math.round(round.rps * CHUNK_SECONDS)));
    const total = result.requests.total;
    round.p50 = (round.p50 * round.requests + result.latency.p50 * total) / (round.requests + total);
    round.p99 = (round.p99 * round.requests + result.latency.p99 * total) / (round.requests + total);
    round.requests += total;
    round.seconds += result.duration;
    round.rps = round.requests / round.seconds;
    round.threeXx += result['3xx'];
    round.errors += result.errors + result.timeouts + result.non2xx - result['3xx'];
  }
  loading = false;
  await sampled;
  const loadCpu = process.cpuUsage(loadBefore);
  const after = await server.usage();
  round.loadCpuPerRequest = (loadCpu.user + loadCpu.system) / round.requests;
  round.rss = Math.max(round.rss, after.rss);
  round.cpuPerRequest = ((after.cpuMs - before.cpuMs) * 1000) / round.requests;
  return round;
}

/**
 * CPU per redirect of one link at a time on the engine process: plain, 20 rules none matching, 20 rules the last
 * matching, for ROUTING_ROUNDS rounds of ROUTING_ROUND_SECONDS (MASK_BENCH_ROUTING_SECONDS) each in rotating order.
 * Medians, not means: on a shared 2-core machine a neighbour's burst can add a third to one round.
 */
async function measureRouting(engine: ServerProcess): Promise<Round[]> {
  const routed = engine.routed;
  if (!routed) throw new Error('engine: no smart-routing links');
  const all = engine.paths;
  const kinds = [
    ['plain link', routed.plain],
    [`${ROUTING_RULES} rules, none matching`, routed.none],
    [`${ROUTING_RULES} rules, last matching`, routed.last],
  ] as const;
  const rounds: Round[] = [];
  const cpu = new Map<string, number[]>(kinds.map(([name]) => [name, []]));
  let rate = 2000;
  try {
    for (let i = 0; i < ROUTING_ROUNDS; i++) {
      for (const [name, path] of [...kinds.slice(i % kinds.length), ...kinds.slice(0, i % kinds.length)]) {
        engine.paths = [path];
        const round = await measure(engine, ROUTING_ROUND_SECONDS, rate);
        rate = round.rps;
        rounds.push(round);
        cpu.get(name)?.push(round.cpuPerRequest);
      }
    }
  } finally {
    engine.paths = all;
  }
  const plain = median(cpu.get(kinds[0][0]) as number[]);
  console.log(`\nsmart routing: engine CPU per redirect of one link, ${ROUTING_ROUNDS} rounds each of at least ${ROUTING_ROUND_SECONDS} s, in rotating order`);
  printRows(kinds.map(([name]) => {
    const values = cpu.get(name) as number[];
    const ratio = median(values) / plain;
    return {
      link: name,
      'cpu/req (median)': `${median(values).toFixed(1)} µs`,
      rounds: values.map((v) => v.toFixed(1)).join(', '),
      'vs plain': `${ratio.toFixed(2)}×`,
      target: name === kinds[0][0] ? '' : `≤ ${ROUTING_TARGET}× ${ratio <= ROUTING_TARGET ? 'ok' : 'ABOVE TARGET'}`,
    };
  }));
  const evaluation = ruleEvaluationMicros();
  console.log(`rule evaluation alone (in this process, cached link): ${evaluation.none.toFixed(2)} µs none matching, ${evaluation.last.toFixed(2)} µs last matching`);
  return rounds;
}

const MIB = 1024 * 1024;
const mb = (bytes: number) => `${(bytes / MIB).toFixed(0)} MiB`;
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export async function run(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mask-bench-redirect-'));
  ensureEngineBuilt();
  const rules = JSON.stringify({ none: benchRules(false), last: benchRules(true) });
  const child = (args: string[]) => spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, MASK_BENCH_RULES: rules } });
  const bare = new ServerProcess('bare node:http', child(['-e', BARE_SERVER]));
  const engine = new ServerProcess('engine', child([...START_FLAGS, ENGINE_SERVER, path.join(dir, 'bench.sqlite'), String(LINKS)]));
  try {
    await Promise.all([bare.ready(), engine.ready()]);
    // The same 1,000 paths for both (the bare server answers any path), so the load generator does the same work.
    bare.paths = engine.paths;
    console.log(`${CONNECTIONS} connections, ${LINKS} links, ${ROUNDS_EACH} alternating rounds each of at least ${ROUND_SECONDS} s (runs of about ${CHUNK_SECONDS} s), ${os.cpus().length} cores shared with the load generator; engine flags as npm start: ${START_FLAGS.join(' ') || 'none'}`);
    let engineThreeXx = 0;
    let engineSpooled = 0;
    const measureRound = async (server: ServerProcess, seconds: number, startRate: number) => {
      const round = await measure(server, seconds, startRate);
      if (server === engine) {
        engineThreeXx += round.threeXx;
        round.catchUpMs = await catchUp(engine, engineThreeXx);
        const { spooled } = await engine.storedClicks();
        round.spooled = spooled - engineSpooled;
        engineSpooled = spooled;
      }
      return round;
    };
    const rounds: Round[] = [];
    const warmups = [await measureRound(bare, WARMUP_SECONDS, 5000), await measureRound(engine, WARMUP_SECONDS, 2000)];
    const latest = new Map([[bare, warmups[0].rps], [engine, warmups[1].rps]]);
    for (let i = 0; i < ROUNDS_EACH; i++) {
      for (const server of [bare, engine]) {
        const round = await measureRound(server, ROUND_SECONDS, latest.get(server) as number);
        latest.set(server, round.rps);
        rounds.push(round);
      }
    }
    const pinned: Round[] = [];
    if (canPin()) {
      // Server on core 0, load generator on core 1, one server at a time; everything gets both cores back after.
      const allCores = `0-${os.cpus().length - 1}`;
      try {
        pinProcess(process.pid, '1');
        for (const server of [bare, engine]) {
          server.pin('0');
          try {
            pinned.push({ ...(await measureRound(server, ROUND_SECONDS, latest.get(server) as number)), server: `${server.name} (pinned)` });
          } finally {
            server.pin(allCores);
          }
        }
      } finally {
        pinProcess(process.pid, allCores);
      }
    } else {
      console.log('taskset or a second core is missing: no pinned rounds');
    }
    const catchUpText = (r: Round) => (r.catchUpMs === undefined ? '' : r.catchUpMs === null ? `> ${CATCH_UP_GIVE_UP_MS / 1000} s` : `${r.catchUpMs} ms`);
    printRows([...rounds, ...pinned].map((r, i) => ({
      round: i + 1,
      server: r.server,
      'req/s': Math.round(r.rps),
      p50: `${r.p50.toFixed(1)} ms`,
      p99: `${r.p99.toFixed(1)} ms`,
      rss: mb(r.rss),
      'cpu/req': `${r.cpuPerRequest.toFixed(1)} µs`,
      'load cpu/req': `${r.loadCpuPerRequest.toFixed(1)} µs`,
      seconds: r.seconds.toFixed(1),
      errors: r.errors,
      'stored within': catchUpText(r),
      spooled: r.spooled ?? '',
    })));

    const summary = (name: string) => {
      const mine = rounds.filter((r) => r.server === name);
      const rps = mine.reduce((n, r) => n + r.requests, 0) / mine.reduce((n, r) => n + r.seconds, 0);
      return { rps, p50: mean(mine.map((r) => r.p50)), p99: mean(mine.map((r) => r.p99)), rss: Math.max(...mine.map((r) => r.rss)), cpu: mean(mine.map((r) => r.cpuPerRequest)), load: mean(mine.map((r) => r.loadCpuPerRequest)) };
    };
    const b = summary(bare.name);
    const e = summary(engine.name);
    console.log();
    printRows([bare.name, engine.name].map((name) => {
      const s = name === bare.name ? b : e;
      return { server: name, 'req/s': Math.round(s.rps), 'p50 (mean)': `${s.p50.toFixed(1)} ms`, 'p99 (mean)': `${s.p99.toFixed(1)} ms`, 'rss (max)': mb(s.rss), 'cpu/req (mean)': `${s.cpu.toFixed(1)} µs`, 'load cpu/req (mean)': `${s.load.toFixed(1)} µs` };
    }));
    const ratio = e.rps / b.rps;
    const pairs = Array.from({ length: ROUNDS_EACH }, (_, i) => (rounds[2 * i + 1].rps / rounds[2 * i].rps).toFixed(2));
    console.log(`\nratio engine / bare: ${ratio.toFixed(2)} (target ≥ 0.50, product goal 0.70) ${ratio >= 0.5 ? 'ok' : 'BELOW TARGET'}; round by round: ${pairs.join(', ')}`);
    const cpuRatio = e.cpu / b.cpu;
    console.log(`CPU per redirect engine / bare: ${cpuRatio.toFixed(2)}× (target ≤ ${CPU_RATIO_TARGET}×) ${cpuRatio <= CPU_RATIO_TARGET ? 'ok' : 'ABOVE TARGET'}`);
    if (pinned.length === 2) {
      const [pb, pe] = pinned;
      console.log(`pinned (server on one core, load generator on the other): ratio ${(pe.rps / pb.rps).toFixed(2)}, CPU per redirect ${(pe.cpuPerRequest / pb.cpuPerRequest).toFixed(2)}×`);
    }
    const engineRss = Math.max(...[...rounds, ...pinned].filter((r) => r.catchUpMs !== undefined).map((r) => r.rss));
    console.log(`engine RSS under load: ${mb(engineRss)} at most (target ≤ ${RSS_TARGET_MIB} MiB) ${engineRss <= RSS_TARGET_MIB * MIB ? 'ok' : 'ABOVE TARGET'}`);
    const engineCatchUps = [...warmups, ...rounds, ...pinned].filter((r) => r.catchUpMs !== undefined).map((r) => r.catchUpMs);
    const slowest = engineCatchUps.includes(null) ? null : Math.max(...(engineCatchUps as number[]));
    console.log(`clicks spooled to disk with the database healthy: ${engineSpooled} (target 0) ${engineSpooled === 0 ? 'ok' : 'ABOVE TARGET'}`);
    console.log(`clicks stored after each engine round within ${slowest === null ? `more than ${CATCH_UP_GIVE_UP_MS / 1000} s` : `${slowest} ms`} at worst (target ≤ ${CATCH_UP_TARGET_MS} ms) ${slowest !== null && slowest <= CATCH_UP_TARGET_MS ? 'ok' : 'ABOVE TARGET'}`);

    const routingRounds = await measureRouting(engine);
    const threeXx = engineThreeXx + routingRounds.reduce((n, r) => n + r.threeXx, 0);
    const { counted, rows } = await engine.stop();
    console.log(`engine 3xx responses: ${threeXx}; counted clicks after a graceful stop: ${counted} (click rows: ${rows}) ${threeXx === counted ? 'equal' : 'MISMATCH'}`);
    await bare.stop();
    if (threeXx !== counted) process.exitCode = 1;
  } finally {
    bare.kill();
    engine.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
