import { performance } from 'node:perf_hooks';

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
