import { createHmac } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { SecretRef } from '../domain/engine-secret';
import type { Clock } from '../support/time';

const COOKIE = 'mask_unlock';
const AUDIENCE = 'mask:link-unlock';
/** At most this many cookies of our name are tried (one per matching path). */
const MAX_CANDIDATES = 4;

export interface UnlockableLink {
  id: string;
  passwordVersion: number;
}

/**
 * The remembered unlock of a password-protected link: a JWT (HS256, key derived from the engine secret) naming the
 * link and the version of its password, so it opens no other link and a password change voids it.
 */
export class UnlockCookies {
  private key: Uint8Array | null = null;

  constructor(
    private readonly secret: SecretRef,
    private readonly clock: Clock,
    private readonly ttlSeconds: number,
  ) {}

  private signingKey(): Uint8Array {
    this.key ??= createHmac('sha256', this.secret.value).update('mask:link-unlock-cookie').digest();
    return this.key;
  }

  async issue(link: UnlockableLink): Promise<string> {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT({ pv: link.passwordVersion })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(link.id)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.signingKey());
  }

  /** True when one of the request's unlock cookies was issued for this link and its current password. */
  async opens(cookieHeader: string | undefined, link: UnlockableLink): Promise<boolean> {
    for (const token of tokensIn(cookieHeader)) {
      try {
        const { payload } = await jwtVerify(token, this.signingKey(), {
          algorithms: ['HS256'],
          audience: AUDIENCE,
          subject: link.id,
          currentDate: this.clock.now(),
          maxTokenAge: this.ttlSeconds,
        });
        if (payload.pv === link.passwordVersion) return true;
      } catch {
        // another link's cookie, an old password, expired or tampered: try the next one
      }
    }
    return false;
  }

  setCookieHeader(token: string, path: string, secure: boolean): string {
    return `${COOKIE}=${token}; Path=${path}; Max-Age=${this.ttlSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
  }
}

function tokensIn(header: string | undefined): string[] {
  if (!header || !header.includes(COOKIE)) return [];
  const tokens: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === COOKIE) tokens.push(part.slice(eq + 1).trim());
    if (tokens.length === MAX_CANDIDATES) break;
  }
  return tokens;
}
