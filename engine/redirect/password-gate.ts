import type { RateLimiter } from '../ratelimit/limiter';
import { requestIdOf } from '../web/request-context';
import { verifyPassword } from '../support/crypto';
import type { Logger } from '../support/logger';
import type { ClientInfo } from './client';
import { readForm } from './form-body';
import type { ResolvedLink } from './links';
import { passwordForm } from './pages';
import { sendHtml, sendPage } from './responses';
import type { UnlockCookies } from './unlock-cookies';
import { shortLinkText, type OpenLink, type Visit } from './visit';

const MAX_FORM_BYTES = 8 * 1024;
const MAX_PASSWORD_LENGTH = 1024;
const ATTEMPTS = 10;
const ATTEMPT_WINDOW_MS = 10 * 60_000;

/**
 * The password gate: a form (the password travels only in a POST body), scrypt verification, at most 10 attempts per
 * link and client in 10 minutes, and a signed cookie that keeps the link unlocked for this browser.
 */
export class PasswordGate {
  constructor(
    private readonly cookies: UnlockCookies,
    private readonly limiter: RateLimiter,
    private readonly client: ClientInfo,
    private readonly logger: Logger,
  ) {}

  async serve(visit: Visit, link: ResolvedLink, passwordHash: string, open: OpenLink): Promise<void> {
    if (visit.method === 'POST') return this.unlock(visit, link, passwordHash, open);
    if (await this.cookies.opens(visit.req.headers.cookie, link)) return open();
    this.sendForm(visit, link, 200, null);
  }

  private async unlock(visit: Visit, link: ResolvedLink, passwordHash: string, open: OpenLink): Promise<void> {
    const { req, res } = visit;
    const form = await readForm(req, MAX_FORM_BYTES);
    // An unread or half-read body cannot be followed by another request on this connection.
    if (!form.ok) return sendPage(req, res, form.problem, { headers: { Connection: 'close' } });

    let verdict;
    try {
      verdict = await this.limiter.consume(`link-password:${link.id}:${this.client.address(req)}`, ATTEMPTS, ATTEMPT_WINDOW_MS);
    } catch (error) {
      this.logger.error({ err: error, req_id: requestIdOf(req) }, 'password attempt limiter unavailable; refusing');
      return sendPage(req, res, 'unavailable', { headers: { 'Retry-After': '30' } });
    }
    if (!verdict.allowed) return sendPage(req, res, 'tooManyAttempts', { linkId: link.id, headers: { 'Retry-After': String(verdict.retryAfter) } });

    const password = form.fields.get('password') ?? '';
    const valid = password.length > 0 && password.length <= MAX_PASSWORD_LENGTH && (await verifyPassword(password, passwordHash));
    if (!valid) return this.sendForm(visit, link, 403, 'That password is not right. Try again.');

    const token = await this.cookies.issue(link);
    const path = `${visit.req.baseUrl ?? ''}${visit.target.path}`;
    open(303, { 'Set-Cookie': this.cookies.setCookieHeader(token, path, this.client.isHttps(req)) });
  }

  private sendForm(visit: Visit, link: ResolvedLink, status: number, error: string | null): void {
    sendHtml(visit.req, visit.res, status, passwordForm(shortLinkText(visit), error, requestIdOf(visit.req), link.id), { 'X-Frame-Options': 'DENY' });
  }
}
