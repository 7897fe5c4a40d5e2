import { createHash, createHmac } from 'node:crypto';
import type { SecretRef } from '../domain/settings';

const DAY_MS = 86_400_000;

/**
 * Visitor hash = SHA-256(daily salt, client address, user agent): counts unique visitors per day without keeping the
 * address. The salt is an HMAC of the engine secret and the UTC date, so every process agrees on it without storage,
 * and yesterday's hashes cannot be linked to today's.
 */
export class VisitorHasher {
  private day = -1;
  private salt = '';

  constructor(private readonly secret: SecretRef) {}

  private saltFor(at: number): string {
    const day = Math.floor(at / DAY_MS);
    if (day !== this.day) {
      const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
      this.salt = createHmac('sha256', this.secret.value).update(`mask:visitor-salt:${date}`).digest('hex');
      this.day = day;
    }
    return this.salt;
  }

  hash(address: string, userAgent: string, at: number): string {
    // One update call: on this path the native call overhead costs as much as the hashing.
    return createHash('sha256').update(`${this.saltFor(at)}\n${address}\n${userAgent}`).digest('hex');
  }
}
