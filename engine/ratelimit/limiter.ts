export interface LimitResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the oldest counted request leaves the window (epoch ms): the earliest moment a slot frees. */
  resetAt: number;
  /** Whole seconds to wait before retrying; 0 when allowed. */
  retryAfter: number;
}

/**
 * A sliding-window limiter: at most `limit` admitted requests in any window of `windowMs`, so no burst at a window
 * boundary can admit twice the limit. Implementations: in-process (below) and Redis (one Lua script).
 */
export interface RateLimiter {
  /**
   * Admits a request if it fits: `cost` (default 1) is how many slots it takes, for requests that cost the server
   * more than others (an uncached large QR code). A request that does not fit takes nothing.
   */
  consume(key: string, limit: number, windowMs: number, cost?: number): Promise<LimitResult>;
  /** Counts without admitting, e.g. to read the state for headers. */
  peek(key: string, limit: number, windowMs: number): Promise<LimitResult>;
  close(): Promise<void>;
}

const MAX_TRACKED_KEYS = 100_000;

/** Exact sliding-window log in memory, for one process (the embedded default). */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private window(key: string, windowMs: number, at: number): number[] {
    let stamps = this.windows.get(key);
    if (!stamps) {
      if (this.windows.size >= MAX_TRACKED_KEYS) this.evictIdle(at, windowMs);
      stamps = [];
      this.windows.set(key, stamps);
    }
    let expired = 0;
    while (expired < stamps.length && stamps[expired] <= at - windowMs) expired++;
    if (expired) stamps.splice(0, expired);
    return stamps;
  }

  private evictIdle(at: number, windowMs: number): void {
    for (const [key, stamps] of this.windows) {
      if (stamps.length === 0 || stamps[stamps.length - 1] <= at - windowMs) this.windows.delete(key);
    }
    if (this.windows.size >= MAX_TRACKED_KEYS) this.windows.delete(this.windows.keys().next().value as string);
  }

  private result(stamps: number[], limit: number, windowMs: number, at: number, allowed: boolean): LimitResult {
    const resetAt = stamps.length ? stamps[0] + windowMs : at + windowMs;
    return {
      allowed,
      limit,
      remaining: Math.max(0, limit - stamps.length),
      resetAt,
      retryAfter: allowed ? 0 : Math.max(1, Math.ceil((resetAt - at) / 1000)),
    };
  }

  async consume(key: string, limit: number, windowMs: number, cost = 1): Promise<LimitResult> {
    const at = this.now();
    const stamps = this.window(key, windowMs, at);
    const allowed = stamps.length + cost <= limit;
    if (allowed) for (let i = 0; i < cost; i++) stamps.push(at);
    return this.result(stamps, limit, windowMs, at, allowed);
  }

  async peek(key: string, limit: number, windowMs: number): Promise<LimitResult> {
    const at = this.now();
    const stamps = this.window(key, windowMs, at);
    return this.result(stamps, limit, windowMs, at, stamps.length < limit);
  }

  async close(): Promise<void> {
    this.windows.clear();
  }
}
