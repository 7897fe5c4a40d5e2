import dns from 'node:dns';
import type { LookupFunction } from 'node:net';
import { hostRefusal, isIpLiteral, refusal, type TargetPolicy } from '../support/address-policy';
import { withDeadline } from '../support/deadlines';

export interface ResolvedAddress {
  address: string;
  family: number;
}

export type Resolver = (hostname: string, family?: number) => Promise<ResolvedAddress[]>;

const systemResolver: Resolver = (hostname, family) =>
  dns.promises.lookup(hostname, { all: true, verbatim: true, family: family === 4 || family === 6 ? family : 0 });

/** A delivery target the SSRF policy refuses; the message says which address and why. */
export class TargetRefusedError extends Error {
  readonly code = 'ETARGETREFUSED';
}

// Registration does not wait longer than this on DNS; every delivery checks again anyway.
const REGISTRATION_DNS_TIMEOUT_MS = 2_000;

const resolvedTo = (host: string, reason: string) => `${host} resolves to a refused address (${reason})`;

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Applies the SSRF policy twice: to the URL when an endpoint is registered, and to the address a delivery really
 * connects to (as the socket's DNS lookup), so a name that changes its answer after registration cannot slip through.
 */
export class TargetGuard {
  constructor(
    private readonly policy: TargetPolicy,
    private readonly resolve: Resolver = systemResolver,
  ) {}

  /**
   * Why `url` may not be registered, or null. A name that does not resolve (yet, or within 2 s) is accepted: every
   * delivery checks again, and DNS that fails today may work tomorrow.
   */
  async registrationRefusal(url: URL): Promise<string | null> {
    const host = hostOf(url);
    const byName = hostRefusal(host);
    if (byName) return byName;
    if (isIpLiteral(host)) return refusal(this.policy, host, host);
    let addresses: ResolvedAddress[];
    try {
      addresses = await withDeadline(this.resolve(host), REGISTRATION_DNS_TIMEOUT_MS, 'DNS timeout');
    } catch {
      return null;
    }
    for (const { address } of addresses) {
      const reason = refusal(this.policy, host, address);
      if (reason) return resolvedTo(host, reason);
    }
    return null;
  }

  /** Sockets skip the DNS lookup for IP literals, so those are checked here before each request. */
  literalRefusal(url: URL): string | null {
    const host = hostOf(url);
    return hostRefusal(host) ?? (isIpLiteral(host) ? refusal(this.policy, host, host) : null);
  }

  /** A `lookup` for http.request: resolves, keeps only allowed addresses, and fails when none is left. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname, options.family as number | undefined).then(
      (addresses) => {
        const allowed = addresses.filter(({ address }) => refusal(this.policy, hostname, address) === null);
        if (allowed.length === 0) {
          const first = addresses[0];
          const reason = first ? refusal(this.policy, hostname, first.address) : 'no address';
          callback(new TargetRefusedError(`refused: ${resolvedTo(hostname, reason ?? 'no address')}`), '', 0);
        } else if (options.all) callback(null, allowed);
        else callback(null, allowed[0].address, allowed[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
