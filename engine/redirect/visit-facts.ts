import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import type { UserAgentClassifier, UserAgentInfo } from '../clicks/user-agents';
import type { VisitFacts } from '../domain/routing/match';

/** What rules ask about one request, each fact worked out the first time a condition asks for it. */
export class RequestFacts implements VisitFacts {
  private agent: UserAgentInfo | undefined;
  private preferred: string[] | undefined;
  private params: URLSearchParams | undefined;
  private referrer: string | null | undefined;

  constructor(
    private readonly req: IncomingMessage,
    readonly now: number,
    private readonly countryCode: string | null,
    private readonly userAgent: string,
    private readonly rawQuery: string,
    private readonly classifier: UserAgentClassifier,
  ) {}

  private info(): UserAgentInfo {
    return (this.agent ??= this.classifier.classify(this.userAgent));
  }

  country(): string | null {
    return this.countryCode;
  }

  device(): string {
    return this.info().device;
  }

  os(): string | null {
    return this.info().os;
  }

  browser(): string | null {
    return this.info().browser;
  }

  bot(): boolean {
    return this.info().bot;
  }

  languages(): readonly string[] {
    if (this.preferred === undefined) {
      const header = this.req.headers['accept-language'];
      this.preferred = header ? new Negotiator({ headers: { 'accept-language': header } }).languages().filter((tag) => tag !== '*').map((tag) => tag.toLowerCase()) : [];
    }
    return this.preferred;
  }

  query(name: string): readonly string[] {
    return (this.params ??= new URLSearchParams(this.rawQuery)).getAll(name);
  }

  referrerHost(): string | null {
    if (this.referrer === undefined) {
      const raw = this.req.headers.referer;
      try {
        this.referrer = raw ? new URL(raw).hostname.toLowerCase() || null : null;
      } catch {
        this.referrer = null;
      }
    }
    return this.referrer;
  }
}
