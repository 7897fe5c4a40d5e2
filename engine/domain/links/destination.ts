export interface UtmParameters {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term?: string | null;
  utm_content?: string | null;
}

const UTM_KEYS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;

function decodedKey(pair: string): string {
  const key = pair.split('=', 1)[0].replace(/\+/g, ' ');
  try {
    return decodeURIComponent(key);
  } catch {
    return key;
  }
}

/**
 * The destination a visitor is sent to: the stored URL with the link's UTM parameters. The existing query string is
 * kept byte for byte (no re-encoding), except parameters of the same name, which the link's values replace; the
 * fragment stays last.
 */
export function destinationWithUtm(url: string, utm: UtmParameters): string {
  const set = UTM_KEYS.filter((key) => utm[key]);
  if (set.length === 0) return url;
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const beforeFragment = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeFragment.indexOf('?');
  const path = queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt);
  const query = queryAt === -1 ? '' : beforeFragment.slice(queryAt + 1);
  const replaced = new Set<string>(set);
  const kept = query.split('&').filter((pair) => pair !== '' && !replaced.has(decodedKey(pair)));
  const added = set.map((key) => `${key}=${encodeURIComponent(utm[key] as string)}`);
  return `${path}?${[...kept, ...added].join('&')}${fragment}`;
}
