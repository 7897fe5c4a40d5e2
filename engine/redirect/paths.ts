import { isReservedSlug, SLUG_PATTERN } from '../domain/links/slugs';

/** A request for a short link: its slug (null when the path cannot be one: odd bytes, wrong length) and query. */
export interface ShortPath {
  slug: string | null;
  query: string;
  /** The path as requested, without a trailing slash: where the unlock cookie of a password-protected link lives. */
  path: string;
}

// Longest reserved name worth lower-casing a segment for (".well-known", "openapi.json").
const LONGEST_RESERVED = 12;

function decodeSlug(segment: string): string | null {
  if (!segment.includes('%')) return SLUG_PATTERN.test(segment) ? segment : null;
  try {
    const decoded = decodeURIComponent(segment);
    return SLUG_PATTERN.test(decoded) ? decoded : null;
  } catch {
    return null;
  }
}

/**
 * The short link a request URL addresses: one path segment (an optional trailing slash allowed) that no link may take
 * (the Links API's reserved slugs: the API, health checks, robots.txt, …). Anything else (multi-segment paths, reserved
 * names, absolute-form URLs) is left to Express.
 */
export function parseShortPath(url: string): ShortPath | null {
  const q = url.indexOf('?');
  let path = q === -1 ? url : url.slice(0, q);
  if (path.length > 1 && path.charCodeAt(path.length - 1) === 47) path = path.slice(0, -1);
  if (path.length < 2 || path.charCodeAt(0) !== 47 || path.indexOf('/', 1) !== -1) return null;
  const segment = path.slice(1);
  if (segment.length <= LONGEST_RESERVED && isReservedSlug(segment)) return null;
  return { slug: decodeSlug(segment), query: q === -1 ? '' : url.slice(q + 1), path };
}
