export interface Utm {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign'] as const;
/** Longer query strings are not forwarded: they would make an oversized Location header. */
const MAX_FORWARDED_QUERY = 2048;

const parse = (url: string): URL | null => {
  try {
    return new URL(url);
  } catch {
    return null;
  }
};

const isHttp = (url: URL) => url.protocol === 'http:' || url.protocol === 'https:';

function httpUrl(url: string): URL | null {
  const parsed = parse(url);
  return parsed && isHttp(parsed) ? parsed : null;
}

/** Percent-encodes what a Location header cannot carry, for a stored URL the URL parser does not accept. */
function headerSafe(url: string): string {
  // The Buffer round trip replaces lone surrogates, which encodeURIComponent refuses.
  return Buffer.from(url, 'utf8').toString('utf8').replace(/[^\x21-\x7e]+/g, encodeURIComponent);
}

/**
 * A destination as a Location header value, with the link's UTM parameters set on http(s) URLs (they replace any of
 * the same name). App links (`myapp://…`) keep their query as it is.
 */
export function withUtm(url: string, utm: Utm): string {
  const parsed = parse(url);
  if (!parsed) return headerSafe(url);
  if (isHttp(parsed)) {
    for (const key of UTM_KEYS) {
      const value = utm[key];
      if (value) parsed.searchParams.set(key, value);
    }
  }
  return parsed.href;
}

/**
 * The short URL's own query parameters added to the destination, replacing parameters of the same name, so one short
 * link can carry `?utm_source=newsletter` or `?ref=…` through to the destination.
 */
export function withForwardedQuery(destination: string, query: string): string {
  if (!query || query.length > MAX_FORWARDED_QUERY) return destination;
  const params = new URLSearchParams(query);
  if (params.size === 0) return destination;
  const parsed = httpUrl(destination);
  if (!parsed) return destination;
  for (const key of new Set(params.keys())) parsed.searchParams.delete(key);
  for (const [key, value] of params) parsed.searchParams.append(key, value);
  return parsed.href;
}

export type Platform = 'ios' | 'android' | null;

/** iOS or Android from the user agent (iPadOS in desktop mode presents itself as a Mac and is not told apart). */
export function platformOf(userAgent: string): Platform {
  if (/\b(?:iPhone|iPad|iPod)\b/.test(userAgent)) return 'ios';
  if (userAgent.includes('Android') && !userAgent.includes('Windows Phone')) return 'android';
  return null;
}
