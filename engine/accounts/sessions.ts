import type { SessionRepository, SessionRow } from '../store/accounts';
import { constantTimeEqual, hmacBase64Url, randomToken, sha256Hex } from '../support/crypto';
import { newId } from '../support/ids';
import type { Clock } from '../support/time';

export interface SessionTimeouts {
  /** A session unused for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however much it is used. */
  maxAgeMs: number;
}

export interface ClientMeta {
  userAgent: string | null;
  ip: string | null;
}

/** The cookie value: 32 random bytes, base64url. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** `last_seen_at` is written at most this often per session (or a tenth of the idle timeout, if shorter). */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sessions, in the database or in Redis (see SessionRepository). The cookie carries an opaque random
 * value; the store keeps only its SHA-256, so a leaked table or Redis dump signs nobody in. A session ends after `idleMs` without use or `maxAgeMs` after sign-in. The CSRF token is an
 * HMAC of the session's hash with the engine secret: bound to the session, nothing more to store.
 */
export class SessionService {
  constructor(
    private readonly store: SessionRepository,
    private readonly clock: Clock,
    private readonly timeouts: SessionTimeouts,
    private readonly secret: { readonly value: string },
  ) {}

  get maxAgeMs(): number {
    return this.timeouts.maxAgeMs;
  }

  /** A new session for a user; the token is the cookie value, returned only here. */
  async create(userId: string, meta: ClientMeta): Promise<{ token: string; session: SessionRow }> {
    const now = this.clock.now().getTime();
    const token = randomToken(32);
    const session: SessionRow = {
      id: newId('ses', now),
      token_hash: sha256Hex(token),
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: now + this.timeouts.maxAgeMs,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
      ip: meta.ip?.slice(0, 64) ?? null,
    };
    await this.store.insert(session);
    return { token, session };
  }

  /** The live session a cookie value names, its use recorded; null (and an expired one deleted) otherwise. */
  async resolve(token: string): Promise<SessionRow | null> {
    if (!TOKEN_PATTERN.test(token)) return null;
    const session = await this.store.byTokenHash(sha256Hex(token));
    if (!session) return null;
    const now = this.clock.now().getTime();
    if (session.expires_at <= now || session.last_seen_at + this.timeouts.idleMs <= now) {
      await this.store.deleteByTokenHash(session.token_hash);
      return null;
    }
    if (now - session.last_seen_at >= Math.min(TOUCH_EVERY_MS, this.timeouts.idleMs / 10)) {
      await this.store.touch(session, now);
      session.last_seen_at = now;
    }
    return session;
  }

  /** Ends the session a cookie value names, if any (sign-out, or a session replaced at sign-in). */
  async end(token: string): Promise<void> {
    if (TOKEN_PATTERN.test(token)) await this.store.deleteByTokenHash(sha256Hex(token));
  }

  csrfToken(session: SessionRow): string {
    return hmacBase64Url(this.secret.value, `csrf:${session.token_hash}`);
  }

  checkCsrf(session: SessionRow, presented: string | undefined): boolean {
    return typeof presented === 'string' && constantTimeEqual(presented, this.csrfToken(session));
  }

  list(userId: string): Promise<SessionRow[]> {
    return this.store.listForUser(userId);
  }

  /** Ends one of the user's sessions; false when they have none with this id. */
  async revoke(userId: string, id: string): Promise<boolean> {
    return (await this.store.deleteOne(userId, id)) > 0;
  }

  /** Ends every session of the user, but `keepId` (sign out everywhere else). */
  revokeAll(userId: string, keepId: string | null = null): Promise<number> {
    return this.store.deleteAllOf(userId, keepId);
  }

  /** Deletes expired sessions (they are refused anyway; this keeps the table small). */
  prune(): Promise<number> {
    const now = this.clock.now().getTime();
    return this.store.deleteExpired(now, now - this.timeouts.idleMs);
  }
}
