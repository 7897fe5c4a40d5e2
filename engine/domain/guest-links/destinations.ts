import { classifyAddress, hostRefusal, isIpLiteral } from '../../support/address-policy';

/** Names that never lead to the public internet (RFC 6761, RFC 8375, common intranet suffixes). */
const NON_PUBLIC_SUFFIXES = ['localhost', 'local', 'internal', 'intranet', 'lan', 'home.arpa', 'corp', 'private', 'test', 'invalid'];

const under = (host: string, zone: string) => host === zone || host.endsWith(`.${zone}`);

export interface GuestDestinationRules {
  /** MASK_GUEST_DENIED_HOSTS: each entry refuses that host and every name under it. */
  deniedHosts: readonly string[];
  /** Hosts this instance serves short links on: a guest link to another short link would hide where it leads. */
  ownHosts: readonly string[];
}

/**
 * Why a guest may not link to `url`, or null. Guests are anonymous, so only public destinations pass: no IP
 * literal outside public unicast (private, loopback, link-local, metadata, reserved), no name that only resolves
 * inside a network, nothing on the operator's deny-list, no short link of this instance. Names are not resolved:
 * the server never fetches the destination, and what a visitor's resolver answers later is not the server's to see.
 */
export function guestDestinationProblem(url: string, rules: GuestDestinationRules): string | null {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return null; // the URL rules report it
  }
  if (isIpLiteral(host)) {
    const kind = classifyAddress(host.replace(/^\[|\]$/g, ''));
    return kind === 'external' ? null : `Guest links may only lead to public addresses; ${host} is a ${kind} address`;
  }
  const byName = hostRefusal(host);
  if (byName) return `Guest links may not lead there: ${byName}`;
  if (!host.includes('.') || NON_PUBLIC_SUFFIXES.some((zone) => under(host, zone))) {
    return `Guest links may only lead to public host names; ${host} is not one`;
  }
  if (rules.ownHosts.some((own) => under(host, own))) return `Guest links may not lead to another short link of this instance (${host})`;
  const denied = rules.deniedHosts.find((zone) => under(host, zone));
  if (denied) return `${host} is on this instance's deny-list for guest links`;
  return null;
}
