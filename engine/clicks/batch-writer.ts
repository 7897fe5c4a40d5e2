import type { Knex } from 'knex';
import { enrichClick } from './enrich';
import type { FlushListener, IdentifiedClick } from './types';
import { UserAgentClassifier } from './user-agents';
import type { VisitorHasher } from './visitors';
import { clickWriterFor, countByLink, type ClickWriter } from './writer';

/** Writes one batch of clicks and answers the new `links.clicks` of the links it counted. */
export interface BatchWriter {
  write(batch: IdentifiedClick[]): Promise<Map<string, number>>;
  /** Gets ready now rather than at the first batch (a worker thread starts its connection). */
  start?(): void;
  /** True while it cannot write yet for reasons of its own (a thread loading its code), not the database's. */
  readonly starting?: boolean;
  close(): Promise<void>;
}

/**
 * One transaction per batch: click rows, `links.clicks` counters, and whatever the flush listeners (the publish point:
 * events, usage, rollups) add. It runs on the engine's event loop, or inside the click-writer worker.
 */
export class TransactionBatchWriter implements BatchWriter {
  private readonly userAgents = new UserAgentClassifier();
  private readonly writer: ClickWriter;

  constructor(
    private readonly db: Knex,
    private readonly listeners: readonly FlushListener[],
    private readonly visitors: VisitorHasher,
  ) {
    this.writer = clickWriterFor(db);
  }

  async write(batch: IdentifiedClick[]): Promise<Map<string, number>> {
    // A click can come twice in one batch (a spooled copy of a slow batch replayed with the batch itself): once.
    const seen = new Set<string>();
    const unique = batch.filter((click) => !seen.has(click.id) && seen.add(click.id));
    const clicks = unique.map((click) => enrichClick(click, this.userAgents, this.visitors));
    return this.db.transaction(async (trx) => {
      const inserted = await this.writer.insert(trx, clicks);
      const totals = await this.writer.increment(trx, countByLink(inserted));
      if (inserted.length) for (const listener of this.listeners) await listener(trx, inserted);
      return totals;
    });
  }

  async close(): Promise<void> {}
}
