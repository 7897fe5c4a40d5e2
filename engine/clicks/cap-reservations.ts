import type Redis from 'ioredis';
import { withDeadline } from '../support/deadlines';
import type { Logger } from '../support/logger';

/**
 * KEYS[1] the link's counter; ARGV seed (the counted clicks stored in `links.clicks`, as this process knows them),
 * cap (max_clicks), ttl (ms). The counter is the number of counted clicks reserved by every process; a missing one is
 * seeded from the stored count, and a stored count above it (clicks counted while Redis was unreachable) raises it.
 * Returns {1 reserved | 0 refused, the count after it}.
 */
const RESERVE_SCRIPT = `
local seed = tonumber(ARGV[1])
local cap = tonumber(ARGV[2])
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if seed > count then count = seed end
local reserved = 0
if count < cap then
  count = count + 1
  reserved = 1
end
redis.call('SET', KEYS[1], count, 'PX', ARGV[3])
return { reserved, count }
`;

const COMMAND = 'maskReserveClick';
/** A counter idle this long is dropped: every click it counted was flushed (or spooled and replayed) long before. */
const COUNTER_TTL_MS = 7 * 24 * 3600 * 1000;
/** Longest a redirect waits for Redis before falling back to this process's own count. */
const DEFAULT_TIMEOUT_MS = 250;

type WithScript = Redis & { [COMMAND](key: string, seed: number, cap: number, ttlMs: number): Promise<[number, number]> };

export type Reservation = 'reserved' | 'refused' | 'unavailable';
export interface ReservationReply {
  outcome: Reservation;
  /** Counted clicks of the link reserved by all processes, this one included (when Redis answered). */
  count?: number;
}

/**
 * `max_clicks` shared by every process on one Redis: each counted click of a capped link takes a place in an atomic
 * per-link counter before it is redirected (no database write on the request path), so the processes together never
 * let more than the cap through. When Redis does not answer in time the answer is 'unavailable' and the caller
 * counts in this process alone (it may then overshoot by the other processes' clicks not flushed yet). A reserved
 * click that is never stored (a process killed before its spool was written) keeps its place: a cap may under-deliver,
 * never over-deliver.
 */
export class CapReservations {
  private readonly redis: WithScript;
  private lastWarning = 0;

  constructor(
    redis: Redis,
    private readonly keyPrefix: string,
    private readonly logger: Logger,
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
  ) {
    if (!(COMMAND in redis)) redis.defineCommand(COMMAND, { numberOfKeys: 1, lua: RESERVE_SCRIPT });
    this.redis = redis as WithScript;
  }

  /** Takes one place under `cap` for a counted click of `linkId`; `stored` is its `links.clicks` as last read. */
  async reserve(linkId: string, stored: number, cap: number): Promise<ReservationReply> {
    const reply = this.redis[COMMAND](`${this.keyPrefix}${linkId}`, stored, cap, COUNTER_TTL_MS);
    try {
      const [reserved, count] = await withDeadline(reply, this.timeoutMs, `Redis did not answer within ${this.timeoutMs} ms`);
      return { outcome: reserved === 1 ? 'reserved' : 'refused', count: Number(count) };
    } catch (error) {
      this.warn(error);
      return { outcome: 'unavailable' };
    }
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarning < 60_000) return;
    this.lastWarning = now;
    this.logger.warn({ err: error }, 'max_clicks: Redis unavailable; capped links counted per process until it answers');
  }
}
