import { randomBytes } from 'node:crypto';

/** Case-sensitive, 4–64 characters of `[A-Za-z0-9_-]`, starting with a letter or digit. */
export const SLUG_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{3,63}$/;
export const SLUG_MIN_LENGTH = 4;
export const SLUG_MAX_LENGTH = 64;

/**
 * First path segments the engine serves itself (or keeps for what it will serve), so no link may take them.
 * `p` and `qr` are the prefixes of bio pages (`/p/:slug`) and QR codes (`/qr/:slug`). Compared case-insensitively,
 * because Express routes match paths case-insensitively.
 */
export const RESERVED_SLUGS: readonly string[] = [
  'api',
  'healthz',
  'readyz',
  'metrics',
  'openapi.json',
  'favicon.ico',
  'robots.txt',
  'sitemap.xml',
  '.well-known',
  'p',
  'qr',
  'static',
  'assets',
];

const RESERVED = new Set(RESERVED_SLUGS);

export const isReservedSlug = (slug: string): boolean => RESERVED.has(slug.toLowerCase());

/** Why `slug` is not acceptable as a custom slug, or null when it is. */
export function slugProblem(slug: string): string | null {
  if (slug.length < SLUG_MIN_LENGTH || slug.length > SLUG_MAX_LENGTH) {
    return `Slug must be between ${SLUG_MIN_LENGTH} and ${SLUG_MAX_LENGTH} characters`;
  }
  if (!SLUG_PATTERN.test(slug)) return 'Slug may contain only letters, digits, "-" and "_", and must start with a letter or digit';
  if (isReservedSlug(slug)) return `"${slug}" is reserved by the engine; choose another slug`;
  return null;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const RANDOM_SLUG_LENGTH = 7;

/** 7 characters of base62 from the system CSPRNG, without modulo bias (about 41.7 bits). */
export function randomSlug(length = RANDOM_SLUG_LENGTH): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes at or above it would favour the first characters, so they are skipped.
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return isReservedSlug(out) ? randomSlug(length) : out;
}
