import { enrichClick } from './enrich';
import { countByLink, type ClickStore } from '../store/clicks';
import type { TransactionRunner } from '../store/transactions';
import type { BatchWriter } from './batch-writer';
import type { FlushListener, IdentifiedClick } from './types';
import { UserAgentClassifier } from './user-agents';
import type { VisitorHasher } from './visitors';

/**
 * One transaction per batch: click rows, `links.clicks` counters, and whatever the flush listeners (the publish point:
 * events, usage, rollups) add, written on this thread: the engine's event loop (Postgres), or inside the click-writer
 * thread (SQLite, see ThreadBatchWriter).
 */
export class InlineBatchWriter implements BatchWriter {
  private readonly userAgents = new UserAgentClassifier();

  constructor(
    private readonly store: ClickStore,
    private readonly transactions: TransactionRunner,
    private readonly listeners: readonly FlushListener[],
    private readonly visitors: VisitorHasher,
    readonly lanes = 1,
  ) {}

  async write(batch: IdentifiedClick[]): Promise<Map<string, number>> {
    // A click can come twice in one batch (a spooled copy of a slow batch replayed with the batch itself): once.
    const seen = new Set<string>();
    const unique = batch.filter((click) => !seen.has(click.id) && seen.add(click.id));
    const clicks = unique.map((click) => enrichClick(click, this.userAgents, this.visitors));
    return this.transactions.run(async (trx) => {
      const inserted = await this.store.insert(trx, clicks);
      const totals = await this.store.increment(trx, countByLink(inserted), cappedLinks(unique));
      if (inserted.length) for (const listener of this.listeners) await listener(trx, inserted);
      return totals;
    });
  }

  async close(): Promise<void> {}
}

/** The links of a batch that have a max_clicks (as loaded when their clicks were taken): the recorder needs their totals. */
function cappedLinks(clicks: readonly IdentifiedClick[]): Set<string> {
  const capped = new Set<string>();
  for (const { link } of clicks) if (link.maxClicks !== null) capped.add(link.id);
  return capped;
}
