export interface Utm {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign'] as const;
/** Longer query strings are not forwarded: they would make an oversized Location header. */
const MAX_FORWARDED_QUERY = 2048;

function httpUrl(url: string): URL | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed : null;
  } catch {
    return null;
  }
}

/** A destination with the link's UTM parameters set (they replace any of the same name). Other schemes are kept as is. */
export function withUtm(url: string, utm: Utm): string {
  const parsed = httpUrl(url);
  if (!parsed) return url;
  for (const key of UTM_KEYS) {
    const value = utm[key];
    if (value) parsed.searchParams.set(key, value);
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
