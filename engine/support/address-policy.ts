import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** What an address is, for the SSRF policy. `special`: multicast, reserved, documentation, Teredo and the like. */
export type AddressClass = 'external' | 'loopback' | 'private' | 'link-local' | 'metadata' | 'special';

const CATEGORIES = ['external', 'loopback', 'private', '*'] as const;
type Category = (typeof CATEGORIES)[number];

/** The parsed WEBHOOK_ALLOWED_HOSTS: categories, CIDR ranges and host names (`*.example.com` for a whole zone). */
export interface TargetPolicy {
  categories: ReadonlySet<Category>;
  ranges: ReadonlyArray<[Address, number]>;
  hosts: readonly string[];
}

// Cloud instance-metadata services: AWS (also ECS, EKS pod identity, IPv6 IMDS), GCP, Azure, Alibaba, Oracle Classic.
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.169.253',
  '169.254.170.2',
  '169.254.170.23',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2::254',
  'fd00:ec2::23',
]);
const METADATA_HOSTS = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

const HOST_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export class PolicyError extends Error {}

const ACCEPTED = 'external, loopback, private, *, CIDRs or host names, comma-separated';

/** Parses `external,loopback,10.0.0.0/8,hooks.internal`; throws PolicyError naming the first token it cannot read. */
export function parseTargetPolicy(value: string): TargetPolicy {
  const categories = new Set<Category>();
  const ranges: Array<[Address, number]> = [];
  const hosts: string[] = [];
  const tokens = value.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);
  if (tokens.length === 0) throw new PolicyError(`must list ${ACCEPTED}`);
  for (const token of tokens) {
    if ((CATEGORIES as readonly string[]).includes(token)) categories.add(token as Category);
    else if (ipaddr.isValid(token)) {
      const address = ipaddr.parse(token);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (token.includes('/')) {
      try {
        ranges.push(ipaddr.parseCIDR(token));
      } catch {
        throw new PolicyError(`must list ${ACCEPTED}; "${token}" is not a valid CIDR`);
      }
    } else if (HOST_NAME.test(token.replace(/\.$/, ''))) hosts.push(token.replace(/\.$/, ''));
    else throw new PolicyError(`must list ${ACCEPTED}; "${token}" is none of these`);
  }
  return { categories, ranges, hosts };
}

/** The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4, SIIT, IPv4-compatible), or null. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  const range = address.range();
  const p = address.parts;
  const fromWords = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  if (range === 'ipv4Mapped' || range === 'rfc6052' || range === 'rfc6145') return fromWords(p[6], p[7]);
  if (range === '6to4') return fromWords(p[1], p[2]);
  // ::a.b.c.d (deprecated IPv4-compatible form); :: and ::1 are handled as themselves.
  if (p.slice(0, 6).every((w) => w === 0) && (p[6] !== 0 || p[7] > 1)) return fromWords(p[6], p[7]);
  return null;
}

/** The address a connection really reaches: IPv4 forms hidden in IPv6 are unwrapped, so they get the IPv4 verdict. */
export function effectiveAddress(ip: string): Address {
  const address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6') return embeddedIPv4(address as ipaddr.IPv6) ?? address;
  return address;
}

export function classifyAddress(ip: string): AddressClass {
  const address = effectiveAddress(ip);
  if (METADATA_ADDRESSES.has(address.toNormalizedString()) || METADATA_ADDRESSES.has(address.toString())) return 'metadata';
  switch (address.range() as string) {
    case 'unicast':
      return 'external';
    case 'loopback':
    case 'unspecified': // 0.0.0.0 and :: reach this host
      return 'loopback';
    case 'private':
    case 'carrierGradeNat':
    case 'uniqueLocal':
    case 'deprecatedSiteLocal':
      return 'private';
    case 'linkLocal':
      return 'link-local';
    default:
      return 'special';
  }
}

export const isIpLiteral = (host: string): boolean => ipaddr.isValid(host.replace(/^\[|\]$/g, ''));

const normalizeHost = (hostname: string) => hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

/** Refusals decided by the name alone, before any DNS lookup: the metadata services' own names. */
export function hostRefusal(hostname: string): string | null {
  return METADATA_HOSTS.has(normalizeHost(hostname)) ? `${hostname} is a cloud metadata service, never allowed` : null;
}

const hostAllowed = (policy: TargetPolicy, hostname: string) =>
  policy.hosts.some((h) => (h.startsWith('*.') ? hostname.endsWith(h.slice(1)) : hostname === h));

function inRanges(policy: TargetPolicy, address: Address): boolean {
  return policy.ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/**
 * Null when `hostname` may be reached at `ip`, otherwise why not. Metadata addresses and names are refused whatever
 * the policy says; link-local and special addresses only pass with `*` or a CIDR that covers them.
 */
export function refusal(policy: TargetPolicy, hostname: string, ip: string): string | null {
  const name = normalizeHost(hostname);
  const kind = classifyAddress(ip);
  if (kind === 'metadata') return `${ip} is a cloud metadata address, never allowed`;
  const byName = hostRefusal(name);
  if (byName) return byName;
  if (policy.categories.has('*') || hostAllowed(policy, name) || inRanges(policy, effectiveAddress(ip))) return null;
  if (kind !== 'link-local' && kind !== 'special' && policy.categories.has(kind)) return null;
  return `${ip} is ${kind === 'external' ? 'an' : 'a'} ${kind} address, not allowed by WEBHOOK_ALLOWED_HOSTS`;
}
