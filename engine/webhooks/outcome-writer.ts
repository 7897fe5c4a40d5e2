import type { AttemptRecord, ClaimedDelivery, DeliveryStore } from '../store/webhook-deliveries';

const MAX_BATCH = 100;
const MAX_WAIT_MS = 5;

interface Waiting {
  claimed: ClaimedDelivery;
  outcome: AttemptRecord;
  done(recorded: boolean): void;
  fail(error: unknown): void;
}

/**
 * Gathers final outcomes (successes, and failures with no attempt left) for a few milliseconds and records them in one
 * statement: under load one round trip serves many deliveries. Each caller still learns whether its own was recorded.
 */
export class OutcomeWriter {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: DeliveryStore) {}

  write(claimed: ClaimedDelivery, outcome: AttemptRecord): Promise<boolean> {
    return new Promise((done, fail) => {
      this.waiting.push({ claimed, outcome, done, fail });
      if (this.waiting.length >= MAX_BATCH) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), MAX_WAIT_MS);
    });
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      const recorded = await this.store.recordFinal(batch);
      for (const item of batch) item.done(recorded.has(item.claimed.id));
    } catch (error) {
      for (const item of batch) item.fail(error);
    }
  }
}
