import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, type Engine, type EngineOptions } from '../engine';
import type { Actor } from '../engine/domain/actor';
import { createTestDatabase, TEST_SECRET, type TestDialect } from '../test/support/databases';

/** Runs `fn` `iterations` times (after `warmup` runs) and returns p50/p95/p99 in milliseconds. */
export async function timeIt(fn: () => Promise<unknown>, iterations: number, warmup = Math.min(20, iterations)) {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))];
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: samples.length };
}

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`;

/** One aligned table row per figure, so bench output reads as a report. */
export function printRows(rows: Array<Record<string, string | number>>): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => String(r[c]).length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c]))));
}

/** Deterministic PRNG (mulberry32), so every run seeds the same data. */
export function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Figure {
  name: string;
  /** Timed calls in all; split over the rounds. */
  iterations: number;
  fn(): Promise<unknown>;
}

export const ROUNDS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Times each figure on every engine in alternating rounds and keeps the median of the rounds' p50s, so load from
 * other processes on the machine falls on every size alike instead of on whichever ran during a busy minute.
 */
export async function measureInterleaved(engines: Figure[][]): Promise<number[][]> {
  const results = engines.map(() => [] as number[]);
  for (let f = 0; f < engines[0].length; f++) {
    const rounds = engines.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [e, figures] of engines.entries()) {
        const { fn, iterations } = figures[f];
        rounds[e].push((await timeIt(fn, Math.ceil(iterations / ROUNDS), 3)).p50);
      }
    }
    rounds.forEach((values, e) => results[e].push(median(values)));
  }
  return results;
}


export interface BenchEngine {
  engine: Engine;
  baseUrl: string;
  /** The admin actor of the engine's one workspace. */
  actor: Actor;
  /** Stops the engine and drops its database. */
  close(): Promise<void>;
}

const ROOT = path.join(__dirname, '..');
const { newestSource } = require('../scripts/dashboard-build') as { newestSource: (dir: string) => number };

/** Compiles the engine into dist/engine when it is missing or older than its sources (benches that run what ships). */
export function ensureEngineBuilt(): void {
  const index = path.join(ROOT, 'dist', 'engine', 'index.js');
  const sources = Math.max(newestSource(path.join(ROOT, 'engine')), newestSource(path.join(ROOT, 'migrations')));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
}

/** A Postgres engine refuses to start without a secret (MASK_SECRET): benches use the test suite's. */
export const benchSecret = (dialect: TestDialect): { secret?: string } => (dialect === 'postgres' ? { secret: TEST_SECRET } : {});

/**
 * A real engine on a fresh database of `dialect`, listening on 127.0.0.1, with one workspace, filled by `seed`. If
 * anything fails on the way, the engine is closed and its database dropped before the error goes on.
 */
export async function openBenchEngine<T extends object>(dialect: TestDialect, options: EngineOptions, seed: (bench: BenchEngine) => Promise<T>): Promise<T & BenchEngine> {
  const database = await createTestDatabase(dialect);
  const engine = createEngine({ logLevel: 'silent', env: {}, ...benchSecret(dialect), ...options, databaseUrl: database.url });
  const close = async () => {
    await engine.close();
    await database.drop();
  };
  try {
    const server = await engine.listen(0, '127.0.0.1');
    const workspace = await engine.workspaces.create({ name: 'Bench' });
    const bench: BenchEngine = { engine, baseUrl: server.url, actor: { workspaceId: workspace.id, mode: 'live', keyId: null, requestId: null, scopes: ['admin'] }, close };
    return { ...(await seed(bench)), ...bench };
  } catch (error) {
    await close();
    throw error;
  }
}

/** 1000 → 1k, 1000000 → 1M. */
export const sizeLabel = (size: number) => (size >= 1e6 ? `${size / 1e6}M` : size >= 1e3 ? `${size / 1e3}k` : String(size));
