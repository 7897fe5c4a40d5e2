import { destinationWithUtm, type UtmParameters } from '../domain/links/destination';

/** Longer query strings are not forwarded: they would make an oversized Location header. */
const MAX_FORWARDED_QUERY = 2048;
const HEADER_SAFE = /^[\x21-\x7e]*$/;

/** A query pair's decoded name, to compare parameters however their names were encoded. */
const keyOf = (pair: string): string => {
  const equals = pair.indexOf('=');
  const raw = (equals === -1 ? pair : pair.slice(0, equals)).replace(/\+/g, ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

/** Percent-encodes runs of characters a URI (and so a Location header) cannot carry, leaving everything else as is. */
const encodeUnsafe = (text: string): string =>
  // The Buffer round trip replaces lone surrogates, which encodeURIComponent refuses.
  Buffer.from(text, 'utf8').toString('utf8').replace(/[^\x21-\x7e]+/g, encodeURIComponent);

/**
 * A stored destination as a Location header value. Destinations are kept byte for byte (signed URLs depend on their
 * exact query); only what a header cannot carry changes: an internationalised host becomes punycode, other non-ASCII
 * characters are percent-encoded.
 */
export function asLocation(url: string): string {
  if (HEADER_SAFE.test(url)) return url;
  try {
    const { host } = new URL(url);
    const authority = url.indexOf('//') + 2;
    const rest = url.slice(authority).search(/[/?#]/);
    const end = rest === -1 ? url.length : authority + rest;
    return `${url.slice(0, authority)}${host}${encodeUnsafe(url.slice(end))}`;
  } catch {
    return encodeUnsafe(url);
  }
}

/** The destination with the link's UTM parameters, ready for a Location header. */
export const destinationOf = (url: string, utm: UtmParameters): string => asLocation(destinationWithUtm(url, utm));

/**
 * The short URL's own query parameters added to the destination, replacing parameters of the same name, so one short
 * link can carry `?utm_source=newsletter` or `?ref=…` through. Both queries keep their bytes; the fragment stays last.
 */
export function withForwardedQuery(destination: string, query: string): string {
  if (!query || query.length > MAX_FORWARDED_QUERY) return destination;
  const forwarded = query.split('&').filter((pair) => pair !== '');
  if (forwarded.length === 0) return destination;
  const replaced = new Set(forwarded.map(keyOf));
  const hashAt = destination.indexOf('#');
  const fragment = hashAt === -1 ? '' : destination.slice(hashAt);
  const beforeFragment = hashAt === -1 ? destination : destination.slice(0, hashAt);
  const queryAt = beforeFragment.indexOf('?');
  const path = queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt);
  const kept = queryAt === -1 ? [] : beforeFragment.slice(queryAt + 1).split('&').filter((pair) => pair !== '' && !replaced.has(keyOf(pair)));
  return `${path}?${[...kept, ...forwarded.map(encodeUnsafe)].join('&')}${fragment}`;
}

export type Platform = 'ios' | 'android' | null;

/** iOS or Android from the user agent (iPadOS in desktop mode presents itself as a Mac and is not told apart). */
export function platformOf(userAgent: string): Platform {
  if (/\b(?:iPhone|iPad|iPod)\b/.test(userAgent)) return 'ios';
  if (userAgent.includes('Android') && !userAgent.includes('Windows Phone')) return 'android';
  return null;
}
