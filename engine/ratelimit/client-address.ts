import type { Request } from 'express';
import ipaddr from 'ipaddr.js';

/**
 * Who to limit when there is no key: the client address (behind a proxy, as `TRUST_PROXY` lets Express read it).
 * IPv4-mapped IPv6 addresses count as their IPv4 address; IPv6 clients are limited per /64, the smallest network a
 * subscriber usually gets, so rotating through one's own addresses does not escape the limit.
 */
export function clientAddress(req: Request): string {
  const raw = req.ip ?? req.socket.remoteAddress ?? 'unknown';
  if (!ipaddr.isValid(raw)) return raw;
  const address = ipaddr.process(raw);
  if (address.kind() === 'ipv4') return address.toString();
  const network = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${network.join(':')}::/64`;
}
