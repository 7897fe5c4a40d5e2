import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../support/logger';
import type { IdentifiedClick } from './types';

/**
 * One spool file: `clicks-<database>-<pid>-<started>-<random>.log`, appended to by its process only. A file being
 * replayed is renamed (atomically, so two processes never replay the same file) to `….log.claimed-<pid>`.
 */
const FILE = /^clicks-([0-9a-f]{12})-(\d+)-(\d+)-([0-9a-f]+)\.log(?:\.claimed-(\d+))?$/;

/** The database a spool file belongs to: its URL without credentials, hashed (test runs share one data dir). */
export function databaseFingerprint(databaseUrl: string): string {
  let identity = databaseUrl;
  try {
    const url = new URL(databaseUrl);
    if (url.protocol.startsWith('postgres')) identity = `${url.protocol}//${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    // a bare SQLite path: the path is its identity
  }
  return createHash('sha256').update(identity).digest('hex').slice(0, 12);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Waiter {
  count: number;
  resolve(): void;
  reject(error: Error): void;
}

/** Across every spool of this process (embedded engines can be several): files open for appending. */
const appending = new Set<string>();
/**
 * The replay running in each spool directory of this process, if any. Replays of one directory run one after another:
 * two at once would claim the same files, and the one that found a file taken would report it replayed while the
 * other was still writing it (a flush() returning before its spooled clicks were stored).
 */
const replaysByDir = new Map<string, Promise<unknown>>();

export interface SpoolCounts {
  /** Clicks appended and fsync'd. */
  spooled: number;
  /** Clicks read back from spool files and handed to the writer. */
  replayed: number;
  /** Clicks that could not be appended (disk full, no permission): the only clicks MASK loses. */
  lost: number;
}

/** Clicks this spool appended and has not yet seen replayed (clicks waiting on disk for the database). */
export function waitingOnDisk(counts: SpoolCounts & { replayedOwn: number }): number {
  return Math.max(0, counts.spooled - counts.replayedOwn);
}

/**
 * The durable local spool of clicks the database could not take in time: an append-only file per process beside the
 * data, written in batches with one fsync per batch (group commit), read back and deleted once the database has them.
 * A file holds raw captured clicks (client addresses included, until the writer hashes them) as one JSON line each;
 * click ids are fixed before a click is spooled, so a replay stores each click at most once.
 */
export class ClickSpool {
  readonly counts: SpoolCounts & { replayedOwn: number } = { spooled: 0, replayed: 0, lost: 0, replayedOwn: 0 };
  private readonly startedAt = Date.now();
  private readonly fingerprint: string;
  private handle: fs.promises.FileHandle | null = null;
  private current: string | null = null;
  private lines: string[] = [];
  private waiters: Waiter[] = [];
  private chain: Promise<void> = Promise.resolve();
  private scheduled = false;
  private closed = false;

  constructor(
    readonly dir: string,
    databaseUrl: string,
    private readonly logger: Logger,
  ) {
    this.fingerprint = databaseFingerprint(databaseUrl);
  }

  /** Appends clicks; resolves once they are on disk (fsync'd). Rejects, counting and logging them lost, if they cannot be. */
  append(clicks: readonly IdentifiedClick[]): Promise<void> {
    if (clicks.length === 0) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('the click spool is closed'));
    for (const click of clicks) this.lines.push(JSON.stringify(click));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ count: clicks.length, resolve, reject }));
    if (!this.scheduled) {
      this.scheduled = true;
      this.chain = this.chain.then(() => this.writeWaiting());
    }
    return done;
  }

  /** Waits for every append made so far, then closes the file (it stays for a replay, here or after a restart). */
  async close(): Promise<void> {
    this.closed = true;
    await this.chain;
    await this.handle?.close().catch(() => undefined);
    this.handle = null;
    if (this.current) appending.delete(path.join(this.dir, this.current));
  }

  /**
   * Replays every spool file of this database that no live process owns: this process's own file (closed first, so
   * new clicks go to a new one) and those left by dead processes. Each is claimed by an atomic rename, written in
   * batches through `write`, then deleted. Answers the error of a write that failed (the file stays claimed, to
   * retry), or null.
   */
  async replay(write: (batch: IdentifiedClick[]) => Promise<void>, batchSize: number): Promise<Error | null> {
    const previous = replaysByDir.get(this.dir) ?? Promise.resolve();
    const mine = previous.then(() => this.replayClaimable(write, batchSize));
    const settled = mine.catch(() => undefined);
    replaysByDir.set(this.dir, settled);
    try {
      return await mine;
    } finally {
      if (replaysByDir.get(this.dir) === settled) replaysByDir.delete(this.dir);
    }
  }

  private async replayClaimable(write: (batch: IdentifiedClick[]) => Promise<void>, batchSize: number): Promise<Error | null> {
    await this.seal();
    for (const file of await this.claim()) {
      try {
        await this.replayFile(file, write, batchSize);
        await fs.promises.unlink(path.join(this.dir, file)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      } catch (error) {
        this.logger.warn({ err: error, file }, 'click spool replay stopped; will retry');
        return error as Error;
      }
    }
    return null;
  }

  /** True when a spool file of this database may be waiting (cheap: one directory read). */
  async pending(): Promise<boolean> {
    if (this.current) return true;
    return (await this.names()).some((name) => FILE.exec(name)?.[1] === this.fingerprint);
  }

  private async names(): Promise<string[]> {
    try {
      return await fs.promises.readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async writeWaiting(): Promise<void> {
    this.scheduled = false;
    const text = `${this.lines.join('\n')}\n`;
    const waiters = this.waiters;
    this.lines = [];
    this.waiters = [];
    const count = waiters.reduce((sum, waiter) => sum + waiter.count, 0);
    try {
      const handle = this.handle ?? (await this.open());
      await handle.write(text);
      await handle.datasync();
      this.counts.spooled += count;
      for (const waiter of waiters) waiter.resolve();
    } catch (error) {
      this.counts.lost += count;
      this.logger.fatal({ err: error, lost: count, totalLost: this.counts.lost, file: this.current }, 'CLICKS LOST: the click spool cannot be written (disk full?)');
      for (const waiter of waiters) waiter.reject(error as Error);
    }
  }

  private async open(): Promise<fs.promises.FileHandle> {
    await fs.promises.mkdir(this.dir, { recursive: true });
    const name = `clicks-${this.fingerprint}-${process.pid}-${this.startedAt}-${randomBytes(4).toString('hex')}.log`;
    const full = path.join(this.dir, name);
    // Marked before it exists: a replay of another spool in this process listing the directory meanwhile leaves it.
    appending.add(full);
    try {
      this.handle = await fs.promises.open(full, 'a');
    } catch (error) {
      appending.delete(full);
      throw error;
    }
    this.current = name;
    // The new name itself must survive a power loss.
    const dir = await fs.promises.open(this.dir, 'r');
    await dir.sync().catch(() => undefined);
    await dir.close();
    return this.handle;
  }

  /** Closes this process's current file and claims it, between two appends. */
  private seal(): Promise<void> {
    const sealed = this.chain.then(async () => {
      if (!this.handle || !this.current) return;
      const name = this.current;
      await this.handle.close().catch(() => undefined);
      this.handle = null;
      this.current = null;
      appending.delete(path.join(this.dir, name));
      await fs.promises.rename(path.join(this.dir, name), path.join(this.dir, `${name}.claimed-${process.pid}`)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error; // removed by hand: nothing to replay
      });
    });
    // The replay hears of a failed seal; appends after it must still be written.
    this.chain = sealed.catch(() => undefined);
    return sealed;
  }

  /** Renames every replayable file to this process's claim; a file another process claimed first is skipped. */
  private async claim(): Promise<string[]> {
    const claimed: string[] = [];
    for (const name of (await this.names()).sort()) {
      const match = FILE.exec(name);
      if (!match || match[1] !== this.fingerprint || name === this.current) continue;
      const owner = Number(match[5] ?? match[2]);
      const base = name.replace(/\.claimed-\d+$/, '');
      const mine = `${base}.claimed-${process.pid}`;
      if (owner === process.pid) {
        // This process's: open for appending by one of its spools; else one an earlier replay stopped on, or a previous
        // run's with the same pid (pid 1 in a container).
        if (appending.has(path.join(this.dir, name))) continue;
      } else if (alive(owner)) {
        continue;
      }
      try {
        if (name !== mine) await fs.promises.rename(path.join(this.dir, name), path.join(this.dir, mine));
        claimed.push(mine);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return claimed;
  }

  private async replayFile(file: string, write: (batch: IdentifiedClick[]) => Promise<void>, batchSize: number): Promise<void> {
    let text: string;
    try {
      text = await fs.promises.readFile(path.join(this.dir, file), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // replayed and deleted meanwhile
      throw error;
    }
    let batch: IdentifiedClick[] = [];
    let torn = 0;
    const own = file.startsWith(`clicks-${this.fingerprint}-${process.pid}-${this.startedAt}-`);
    const replayed = (count: number) => {
      this.counts.replayed += count;
      if (own) this.counts.replayedOwn += count;
    };
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        batch.push(JSON.parse(line) as IdentifiedClick);
      } catch {
        torn++; // the last line of a process killed while appending: never acknowledged, so never counted as spooled
        continue;
      }
      if (batch.length >= batchSize) {
        await write(batch);
        replayed(batch.length);
        batch = [];
      }
    }
    if (batch.length) {
      await write(batch);
      replayed(batch.length);
    }
    if (torn) this.logger.warn({ file, torn }, 'click spool: skipped unreadable lines');
  }
}
