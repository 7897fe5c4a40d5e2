/**
 * Slugs guests may not take, on top of the engine's reserved ones: words an anonymous link could use to pass for
 * the operator's own pages (sign-in, billing, support), since the short URL carries the operator's domain.
 */
const GUEST_RESERVED_SLUGS: readonly string[] = [
  'admin', 'administrator', 'login', 'logout', 'signin', 'sign-in', 'signup', 'sign-up', 'register', 'account', 'accounts',
  'auth', 'oauth', 'sso', 'password', 'reset', 'verify', 'verification', 'security', 'support', 'help', 'billing',
  'payment', 'payments', 'invoice', 'wallet', 'update', 'settings', 'dashboard', 'official', 'abuse', 'report',
  'docs', 'status', 'mask', 'guest',
];

const RESERVED = new Set(GUEST_RESERVED_SLUGS);

/** Why a guest may not have `slug`, or null. `dashboardSegment` is the dashboard's path (`app` for `/app`). */
export function guestSlugProblem(slug: string, dashboardSegment: string): string | null {
  const lower = slug.toLowerCase();
  if (RESERVED.has(lower) || lower === dashboardSegment.toLowerCase()) return `"${slug}" is reserved; choose another slug`;
  return null;
}
