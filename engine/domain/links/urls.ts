export const MAX_URL_LENGTH = 2048;

export interface UrlPolicy {
  /** Accept `http://` as well as `https://` (MASK_ALLOW_HTTP_URLS). */
  allowHttp: boolean;
}

// Separators (all Unicode spaces), control characters, and invisible format characters such as zero-width spaces
// and bidirectional overrides: none belongs in a destination, and each can disguise one.
const INVISIBLE_OR_CONTROL = /[\p{Z}\p{Cc}\p{Cf}]/u;

/**
 * Why `value` is not an acceptable destination, or null when it is. The scheme must be written exactly, in lower
 * case, so `JaVaScRiPt:`-style and `HTTPS:` tricks fail before the parser normalises them; `javascript:`, `data:`,
 * `vbscript:` and every other scheme fail because only http(s) is accepted.
 */
export function urlProblem(value: string, policy: UrlPolicy): string | null {
  const allowed = policy.allowHttp ? ['https://', 'http://'] : ['https://'];
  const expected = `Must be a valid URL starting with ${allowed.join(' or ')}`;
  if (value.length > MAX_URL_LENGTH) return `Must be at most ${MAX_URL_LENGTH} characters`;
  if (INVISIBLE_OR_CONTROL.test(value)) return 'Must not contain spaces, control or invisible characters; percent-encode them';
  if (value.includes('\\')) return 'Must not contain backslashes';
  const scheme = allowed.find((prefix) => value.startsWith(prefix));
  if (!scheme) {
    if (allowed.some((prefix) => value.toLowerCase().startsWith(prefix))) return `${expected} (in lower case)`;
    return expected;
  }
  if (value.charAt(scheme.length) === '/') return expected;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return expected;
  }
  if (!parsed.hostname) return expected;
  if (parsed.username || parsed.password) return 'Must not contain a username or password';
  return null;
}
