import type Redis from 'ioredis';
import { ApiError } from '../support/errors';
import type { SessionRepository, SessionRow } from './accounts';

/**
 * Sessions in Redis (with REDIS_URL): every process of a deployment sees the same ones, and Redis drops each when it
 * times out (its key lives until the absolute expiry or the idle timeout, whichever comes first; each recorded use
 * extends it). Keys under `prefix`:
 * - `s:<token hash>`: the session as JSON;
 * - `u:<user id>`: a hash of the user's session ids → token hashes, to list them and end them all (entries whose
 *   session has expired are dropped when the list is next read).
 * Redis unreachable: 503 `service_unavailable`, as for the database.
 */
export class RedisSessionStore implements SessionRepository {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleMs: number,
  ) {}

  private sessionKey(tokenHash: string): string {
    return `${this.prefix}s:${tokenHash}`;
  }

  private userKey(userId: string): string {
    return `${this.prefix}u:${userId}`;
  }

  /** Milliseconds the session has left: to its absolute expiry or the end of its idle time, whichever is first. */
  private ttl(row: SessionRow, now: number): number {
    return Math.max(1, Math.min(row.expires_at, row.last_seen_at + this.idleMs) - now);
  }

  async insert(row: SessionRow): Promise<void> {
    await this.run(() =>
      this.redis
        .multi()
        .set(this.sessionKey(row.token_hash), JSON.stringify(row), 'PX', this.ttl(row, row.last_seen_at))
        .hset(this.userKey(row.user_id), row.id, row.token_hash)
        // The index lives as long as the newest session may: every session expires by its absolute time at the latest.
        .pexpireat(this.userKey(row.user_id), row.expires_at)
        .exec(),
    );
  }

  async byTokenHash(tokenHash: string): Promise<SessionRow | undefined> {
    const json = await this.run(() => this.redis.get(this.sessionKey(tokenHash)));
    return json === null ? undefined : (JSON.parse(json) as SessionRow);
  }

  async listForUser(userId: string): Promise<SessionRow[]> {
    const index = await this.run(() => this.redis.hgetall(this.userKey(userId)));
    const ids = Object.keys(index);
    if (ids.length === 0) return [];
    const found = await this.run(() => this.redis.mget(ids.map((id) => this.sessionKey(index[id]))));
    const gone = ids.filter((_, i) => found[i] === null);
    if (gone.length > 0) await this.run(() => this.redis.hdel(this.userKey(userId), ...gone));
    return found
      .filter((json): json is string => json !== null)
      .map((json) => JSON.parse(json) as SessionRow)
      .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async touch(session: SessionRow, at: number): Promise<void> {
    const row = { ...session, last_seen_at: at };
    // XX: a session ended meanwhile (sign-out elsewhere) is not brought back.
    await this.run(() => this.redis.set(this.sessionKey(row.token_hash), JSON.stringify(row), 'PX', this.ttl(row, at), 'XX'));
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    const row = await this.byTokenHash(tokenHash);
    await this.run(() => {
      const multi = this.redis.multi().del(this.sessionKey(tokenHash));
      if (row) multi.hdel(this.userKey(row.user_id), row.id);
      return multi.exec();
    });
  }

  async deleteOne(userId: string, id: string): Promise<number> {
    const tokenHash = await this.run(() => this.redis.hget(this.userKey(userId), id));
    if (tokenHash === null) return 0;
    const results = await this.run(() => this.redis.multi().del(this.sessionKey(tokenHash)).hdel(this.userKey(userId), id).exec());
    return Number(results?.[0]?.[1] ?? 0);
  }

  async deleteAllOf(userId: string, keepId: string | null = null): Promise<number> {
    const index = await this.run(() => this.redis.hgetall(this.userKey(userId)));
    const ids = Object.keys(index).filter((id) => id !== keepId);
    if (ids.length === 0) return 0;
    const results = await this.run(() =>
      this.redis
        .multi()
        .del(...ids.map((id) => this.sessionKey(index[id])))
        .hdel(this.userKey(userId), ...ids)
        .exec(),
    );
    return Number(results?.[0]?.[1] ?? 0);
  }

  /** Nothing to do: Redis expires sessions by itself. */
  async deleteExpired(): Promise<number> {
    return 0;
  }

  private async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      // A short CLI command never starts the engine, so the shared connection may not be open yet.
      if (this.redis.status === 'wait') await this.redis.connect();
      return await command();
    } catch (error) {
      throw Object.assign(new ApiError('service_unavailable', 'Sessions are unavailable right now (Redis cannot be reached). Retry shortly.'), { cause: error });
    }
  }
}
