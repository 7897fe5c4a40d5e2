import type { Request, Response } from 'express';
import type { AccountService } from '../accounts/accounts';
import type { SessionPrincipal } from '../accounts/principal';
import type { ClientMeta } from '../accounts/sessions';
import { clientAddress } from '../ratelimit/client-address';
import { rateLimitExceeded, writeRateLimitHeaders } from '../ratelimit/headers';
import type { RateLimiter } from '../ratelimit/limiter';
import { ApiError } from '../support/errors';
import type { Clock } from '../support/time';

declare module 'http' {
  interface IncomingMessage {
    /** The signed-in user, when a dashboard session (not a key) authenticated the request. */
    userSession?: SessionPrincipal;
  }
}

/** The cookie's name: with the `__Host-` prefix over HTTPS (Secure, Path=/, no Domain: bound to this exact host). */
const COOKIE = 'mask_session';
const SECURE_COOKIE = '__Host-mask_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const WORKSPACE_ID = /^ws_[0-9a-z]{26}$/;
const WINDOW_MS = 60_000;

/** The session cookie's value, if the request carries one. */
export function readSessionCookie(req: Request): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  let plain: string | null = null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === SECURE_COOKIE && req.secure) return value;
    if (name === COOKIE) plain ??= value;
  }
  return plain;
}

const cookieName = (req: Request) => (req.secure ? SECURE_COOKIE : COOKIE);
const attributes = (req: Request) => `Path=/; HttpOnly; SameSite=Lax${req.secure ? '; Secure' : ''}`;

export function writeSessionCookie(req: Request, res: Response, token: string, maxAgeMs: number): void {
  res.append('Set-Cookie', `${cookieName(req)}=${token}; Max-Age=${Math.floor(maxAgeMs / 1000)}; ${attributes(req)}`);
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', `${cookieName(req)}=; Max-Age=0; ${attributes(req)}`);
}

export const clientMeta = (req: Request): ClientMeta & { address: string } => ({
  userAgent: req.get('user-agent') ?? null,
  ip: req.ip ?? null,
  address: clientAddress(req),
});

/**
 * Refuses a request another site made the browser send: `Sec-Fetch-Site: cross-site`, or an `Origin` that is not
 * this request's own (scheme, host and port).
 */
export function refuseCrossSite(req: Request): void {
  if (req.get('sec-fetch-site') === 'cross-site') throw new ApiError('forbidden', 'Cross-site requests are refused.');
  const origin = req.get('origin');
  if (origin !== undefined && origin !== `${req.protocol}://${req.get('host') ?? ''}`) {
    throw new ApiError('forbidden', 'Requests from another origin are refused.');
  }
}

export interface SessionAuthOptions {
  accounts: AccountService;
  /** Throughput limit (the API limiter): requests per minute per user, as per key. */
  apiLimiter: RateLimiter;
  perMinute: number;
  clock: Clock;
}

/**
 * Authenticates /api/v1 requests by the dashboard's session cookie, in place of an API key: the session must be live,
 * a state-changing request must carry `X-CSRF-Token` (the session's token) and come from this origin, and the
 * workspace is the one `X-Mask-Workspace` names (default: the first membership), with the scopes of the user's role.
 */
export class SessionAuth {
  constructor(private readonly options: SessionAuthOptions) {}

  /** The principal, or null when the request carries no session cookie. A dead session answers 401. */
  async authenticate(req: Request, res: Response): Promise<SessionPrincipal | null> {
    const token = readSessionCookie(req);
    if (token === null) return null;
    const { accounts } = this.options;
    const session = await accounts.sessions.resolve(token);
    if (!session) {
      clearSessionCookie(req, res);
      throw new ApiError('unauthorized', 'Your session has ended; sign in again.');
    }
    if (!SAFE_METHODS.has(req.method)) {
      refuseCrossSite(req);
      if (!accounts.sessions.checkCsrf(session, req.get('x-csrf-token'))) {
        throw new ApiError('forbidden', 'Missing or wrong X-CSRF-Token header (GET /api/v1/auth/session gives the token).');
      }
    }
    const requested = req.get('x-mask-workspace');
    if (requested !== undefined && !WORKSPACE_ID.test(requested)) {
      throw new ApiError('bad_request', 'X-Mask-Workspace must be a workspace id (ws_…).');
    }
    const principal = await accounts.principal(session, accounts.sessions.csrfToken(session), requested);
    if (!principal) {
      clearSessionCookie(req, res);
      throw new ApiError('unauthorized', 'Your session has ended; sign in again.');
    }
    const result = await this.options.apiLimiter.consume(`user:${principal.userId}`, this.options.perMinute, WINDOW_MS);
    writeRateLimitHeaders(res, 'session', WINDOW_MS, result, this.options.clock.now().getTime());
    if (!result.allowed) throw rateLimitExceeded(result.retryAfter);
    req.userSession = principal;
    return principal;
  }
}
