import { domainToASCII } from 'node:url';

export const MAX_HOSTNAME_LENGTH = 253;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const PORT = /^[1-9]\d{0,4}$/;
const NOT_A_HOST_NAME = /[\s/\\?#@]|:\/\//;
/** Every label is a host name label and at least the last one holds a letter (so dotted numbers are not names). */
const IPV4_LIKE = /^[0-9.]+$|^0x/i;

/**
 * The canonical form of a host as links, domains and the redirect path store and compare it: lower case, IDN in
 * punycode (münchen.example → xn--mnchen-3ya.example), no trailing dot, the port kept. Null when it is not a host.
 */
export function canonicalHost(input: string): string | null {
  const trimmed = input.trim();
  if (trimmed === '' || NOT_A_HOST_NAME.test(trimmed)) return null;
  const match = /^(.*?)(?::(\d+))?$/.exec(trimmed) as RegExpExecArray;
  const name = match[1].endsWith('.') ? match[1].slice(0, -1) : match[1];
  if (name === '' || name.startsWith('[')) return null;
  const ascii = domainToASCII(name).toLowerCase();
  if (ascii === '' || ascii.length > MAX_HOSTNAME_LENGTH || !ascii.split('.').every((label) => LABEL.test(label))) return null;
  return match[2] === undefined ? ascii : `${ascii}:${match[2]}`;
}

/** `localhost` and `*.localhost` (RFC 6761: always loopback): development hosts, the only ones that may carry a port. */
export const isDevelopmentHost = (hostname: string): boolean => /^(?:[a-z0-9.-]+\.)?localhost(?::\d+)?$/.test(hostname);

/**
 * Why `input` cannot be a custom domain, or its canonical form. Stricter than `canonicalHost`: a name of at least two
 * labels whose last one is not numeric (no IP addresses), or a development host; a port only on development hosts.
 */
export function customDomainOf(input: string): { hostname: string } | { problem: string } {
  const trimmed = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) || /[/?#]/.test(trimmed)) {
    return { problem: 'Give the host name only, e.g. go.example.com: no scheme, path or query' };
  }
  if (trimmed.startsWith('[') || /^[0-9.]+(?::\d+)?$/.test(trimmed)) return { problem: 'IP addresses cannot be custom domains; use a host name' };
  if (/\p{Cc}/u.test(trimmed)) return { problem: 'Must not contain control characters' };
  const hostname = canonicalHost(trimmed);
  if (hostname === null) {
    return {
      problem: `Must be a host name such as go.example.com: labels of 1–63 letters, digits or hyphens (not at either end), at most ${MAX_HOSTNAME_LENGTH} characters`,
    };
  }
  const [name, port] = hostname.split(':');
  const labels = name.split('.');
  if (IPV4_LIKE.test(name) || /^\d+$/.test(labels[labels.length - 1])) return { problem: 'IP addresses cannot be custom domains; use a host name' };
  const development = isDevelopmentHost(name);
  if (labels.length < 2 && !development) return { problem: 'Must be a fully qualified host name such as go.example.com' };
  if (port !== undefined) {
    if (!development) return { problem: 'A port is allowed only on development hosts (localhost, *.localhost)' };
    if (!PORT.test(port) || Number(port) > 65535) return { problem: 'The port must be from 1 to 65535' };
  }
  return { hostname };
}
