import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export const MAX_ALLOWED_IPS = 100;

/**
 * One entry of a key's allow-list in canonical form: an address (`203.0.113.7`, `2001:db8::1`) or a network in CIDR
 * notation with its host bits cleared (`10.0.0.0/8`, `2001:db8::/32`), or why it is neither.
 */
export function canonicalAllowEntry(entry: string): { entry: string } | { problem: string } {
  const text = entry.trim();
  const notOne = { problem: `"${entry}" is not an IP address or CIDR range` };
  if (!text.includes('/')) {
    // `::ffff:10.0.0.1` is how a dual-stack socket reports an IPv4 client: kept as the IPv4 address.
    return strictAddress(text) ? { entry: ipaddr.process(text).toString() } : notOne;
  }
  const [base, bits, ...rest] = text.split('/');
  const address = strictAddress(base);
  if (!address || !/^\d{1,3}$/.test(bits) || rest.length) return notOne;
  const max = address.kind() === 'ipv4' ? 32 : 128;
  const prefix = Number(bits);
  if (prefix > max) return { problem: `"${entry}" is not a valid CIDR range: an ${address.kind() === 'ipv4' ? 'IPv4' : 'IPv6'} prefix is 0 to ${max} bits` };
  const network = address.kind() === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(`${base}/${prefix}`)
    : ipaddr.IPv6.networkAddressFromCIDR(`${base}/${prefix}`);
  return { entry: `${network.toString()}/${prefix}` };
}

/**
 * Only the usual written forms: four decimal parts for IPv4 (not `10.1` or `0x0a.0.0.1`, which ipaddr.js also reads)
 * and IPv6 without a zone (`%eth0` means nothing to a remote client's address).
 */
function strictAddress(text: string): Address | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
  return null;
}

const parsedLists = new Map<string, Array<[Address, number]>>();

function ranges(list: readonly string[]): Array<[Address, number]> {
  const cacheKey = list.join(',');
  let parsed = parsedLists.get(cacheKey);
  if (!parsed) {
    parsed = list.map((entry): [Address, number] => {
      if (entry.includes('/')) return ipaddr.parseCIDR(entry);
      const address = ipaddr.parse(entry);
      return [address, address.kind() === 'ipv4' ? 32 : 128];
    });
    if (parsedLists.size > 1000) parsedLists.clear();
    parsedLists.set(cacheKey, parsed);
  }
  return parsed;
}

/**
 * Whether `ip` (a client address as Express reports it) is in `list`. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`,
 * what a dual-stack socket reports for IPv4 clients) are matched as their IPv4 address.
 */
export function addressAllowed(list: readonly string[], ip: string | undefined): boolean {
  if (!ip || !ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip);
  return ranges(list).some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}
