import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { InvalidArgumentError } from 'commander';

/** `--processes`: a whole number from 1, or `auto` (one per CPU). */
export function parseProcesses(value: string): number {
  if (value === 'auto') return Math.max(1, os.availableParallelism());
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 1024) throw new InvalidArgumentError('a whole number from 1 to 1024, or "auto"');
  return n;
}

export const isClusterWorker = (): boolean => cluster.isWorker;

// A worker that dies sooner than this after it was forked is replaced only after a pause, so a process that cannot
// start (a port in use, a bad setting) does not fork in a tight loop.
const FAST_DEATH_MS = 5_000;
const RESPAWN_PAUSE_MS = 1_000;

interface Logger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * The primary of `mask start --processes N`: forks N workers that share the listening port (node:cluster hands
 * connections out round-robin), replaces any that dies, and on SIGTERM / SIGINT passes the signal on to each and
 * exits once all have closed their engines (buffered clicks flushed): 0 when every worker exited cleanly.
 */
export function runPrimary(processes: number, logger: Logger, print: (line: string) => void): void {
  let stopping = false;
  const forkedAt = new Map<number, number>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    forkedAt.set(worker.id, Date.now());
    worker.once('online', () => print(`worker ${worker.process.pid} started`));
    worker.on('message', (message: { listening?: string }) => message.listening && print(`worker ${worker.process.pid} listening`));
    return worker;
  };
  for (let i = 0; i < processes; i++) fork();
  let failed = false;
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (forkedAt.get(worker.id) ?? 0);
    forkedAt.delete(worker.id);
    if (stopping) {
      // A worker stopped by the signal itself had not installed its handler yet: it had started nothing to flush.
      if (code !== 0 && signal !== 'SIGTERM') failed = true;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(failed ? 1 : 0);
      return;
    }
    logger.warn({ pid: worker.process.pid, code, signal }, 'worker process died; starting a replacement');
    print(`worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); replacing it`);
    setTimeout(() => !stopping && fork(), lived < FAST_DEATH_MS ? RESPAWN_PAUSE_MS : 0);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down every worker');
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined);
    if (workers.length === 0) process.exit(0);
    for (const worker of workers) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
