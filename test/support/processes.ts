import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { until } from './webhook-receiver';

const ROOT = path.join(__dirname, '..', '..');

/** Resolves when the child exits (at once if it already has). */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Stops a child this test started, by its PID: SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(killer);
}

export interface EngineProcess {
  url: string;
  pid: number;
  /** Graceful stop (the engine flushes what it buffered), waiting for the process to exit. */
  stop(): Promise<void>;
}

/** An engine in a child process (test/support/engine-process.ts) configured by `env`. */
export async function startEngineProcess(env: Record<string, string>): Promise<EngineProcess> {
  const script = path.join(__dirname, 'engine-process.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`engine process exited with ${code} before listening`)));
  });
  return { url, pid: child.pid as number, stop: () => stopChild(child) };
}

export interface WorkerProcess {
  child: ChildProcess;
  /** What it has printed so far, stdout and stderr. */
  output(): string;
  /** Graceful stop by PID (SIGTERM, then SIGKILL after a grace), waiting for the process to exit. */
  stop(): Promise<void>;
}

/** `mask worker` in a process of its own, configured by `env`; resolves once it delivers webhooks. */
export async function startWorkerProcess(env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'engine', 'cli.ts'), 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  await until(() => /webhook worker running/.test(output) || child.exitCode !== null, 'the worker to start', 30_000);
  if (child.exitCode !== null) throw new Error(`mask worker exited:\n${output}`);
  return { child, output: () => output, stop: () => stopChild(child) };
}

/** A free TCP port on 127.0.0.1 (the OS picks one; it is released for the caller to use). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A free port below the ephemeral range (32768+). A port from `freePort` is released before its user binds it, so a
 * server listening on port 0 elsewhere in the run (an engine process) can take it first; a redis-server started
 * later on it would then not be the server the test talks to.
 */
async function freeFixedPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const server = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return port;
    }
  }
}

export interface PrivateRedis {
  url: string;
  /** Starts (or restarts) the server on the same port and waits until it answers. */
  start(): Promise<void>;
  /** Stops it by PID, as an outage would. */
  stop(): Promise<void>;
}

/** A redis-server of the test's own on a spare 127.0.0.1 port, never the shared one. */
export async function privateRedis(): Promise<PrivateRedis> {
  const port = await freeFixedPort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  return {
    url,
    async start() {
      const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      child = server;
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      // A busy machine can take seconds to start a process: wait by the clock, not by a count of tries.
      const deadline = Date.now() + 20_000;
      try {
        for (;;) {
          try {
            await probe.connect();
            await probe.ping();
            return;
          } catch (error) {
            if (server.exitCode !== null) throw new Error(`redis-server exited (${server.exitCode}) before answering on port ${port}`);
            if (Date.now() > deadline) throw error;
            probe.disconnect();
            await sleep(50);
          }
        }
      } finally {
        probe.disconnect();
      }
    },
    async stop() {
      if (child) await stopChild(child);
      child = null;
    },
  };
}
