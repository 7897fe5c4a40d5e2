import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyaddr from 'proxy-addr';

type Trust = (address: string, hop: number) => boolean;

/** Express's `trust proxy` semantics (true, a hop count, or a list of addresses and subnets), compiled once. */
function compileTrust(setting: boolean | number | string): Trust | null {
  if (setting === false || setting === 0 || setting === '') return null;
  if (setting === true) return () => true;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting.split(',').map((part) => part.trim()));
}

/**
 * The client's address and scheme as Express would compute `req.ip` and `req.protocol`: X-Forwarded-For and
 * X-Forwarded-Proto count only when `trust proxy` (TRUST_PROXY) says the peer is a proxy of ours.
 */
export class ClientInfo {
  private readonly trust: Trust | null;

  constructor(trustProxy: boolean | number | string) {
    this.trust = compileTrust(trustProxy);
  }

  address(req: IncomingMessage): string {
    if (!this.trust) return req.socket.remoteAddress ?? '';
    return proxyaddr(req, this.trust);
  }

  isHttps(req: IncomingMessage): boolean {
    if ((req.socket as TLSSocket).encrypted) return true;
    if (!this.trust || !this.trust(req.socket.remoteAddress ?? '', 0)) return false;
    const header = req.headers['x-forwarded-proto'];
    const value = Array.isArray(header) ? header[0] : header;
    return value?.split(',')[0].trim().toLowerCase() === 'https';
  }
}
