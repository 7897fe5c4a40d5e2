import type { IdentifiedClick } from './types';

/**
 * Writes one batch of clicks (one transaction) and answers the new `links.clicks` of the capped links it counted (the
 * recorder's cap checks use them; no other total is read). Two kinds:
 * InlineBatchWriter (on the calling thread's event loop: Postgres, and inside the writer thread) and
 * ThreadBatchWriter (hands each batch to the click-writer thread: SQLite files).
 */
export interface BatchWriter {
  write(batch: IdentifiedClick[]): Promise<Map<string, number>>;
  /** Gets ready now rather than at the first batch (a worker thread starts its connection). */
  start?(): void;
  /**
   * How many batches it can commit at once (default 1). Postgres takes 2: while the server works on one batch, this
   * process prepares and sends the next, instead of each side waiting on the other.
   */
  readonly lanes?: number;
  /** True while it cannot write yet for reasons of its own (a thread loading its code), not the database's. */
  readonly starting?: boolean;
  close(): Promise<void>;
}
