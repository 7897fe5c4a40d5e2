import { createHash, createHmac } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { SecretRef } from '../domain/engine-secret';

const DAY_MS = 86_400_000;

/**
 * Visitor hash = SHA-256(daily salt, client address, user agent): counts unique visitors per day without keeping the
 * address. The salt is an HMAC of the engine secret and the UTC date, so every process agrees on it without storage,
 * and yesterday's hashes cannot be linked to today's.
 */
export class VisitorHasher {
  private day = -1;
  private salt = '';
  /** The day's hashes by address and user agent: a visitor's clicks come together, and hashing is most of their cost. */
  private readonly known = new LRUCache<string, string>({ max: 10_000 });

  constructor(private readonly secret: SecretRef) {}

  private saltFor(day: number): string {
    if (day !== this.day) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.salt = createHmac('sha256', this.secret.value).update(`mask:visitor-salt:${date}`).digest('hex');
      this.day = day;
      this.known.clear();
    }
    return this.salt;
  }

  hash(address: string, userAgent: string, at: number): string {
    const salt = this.saltFor(Math.floor(at / DAY_MS));
    const visitor = `${address}\n${userAgent}`;
    let hash = this.known.get(visitor);
    if (hash === undefined) {
      // One update call: the native call overhead costs as much as the hashing.
      hash = createHash('sha256').update(`${salt}\n${visitor}`).digest('hex');
      this.known.set(visitor, hash);
    }
    return hash;
  }
}
