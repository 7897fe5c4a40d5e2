import type { Knex } from 'knex';
import type { LinkStore } from '../../store/links';
import { randomSlug, SLUG_MAX_LENGTH } from '../links/slugs';

const SUFFIX_ROUNDS = 9;

/** `launch` → `launch-2`, `launch-3`…, then a random suffix; always a valid slug of at most 64 characters. */
export function suffixed(slug: string, round: number): string {
  const suffix = round < SUFFIX_ROUNDS ? `-${round + 2}` : `-${randomSlug(6)}`;
  return slug.slice(0, SLUG_MAX_LENGTH - suffix.length) + suffix;
}

/**
 * Moves custom slugs that are taken (in the database or earlier in the batch) to a free suffixed slug. The final
 * claim (claimSlugs) runs after it in the same transaction, so a slug taken meanwhile is still noticed.
 */
export async function suffixTakenSlugs(trx: Knex, links: LinkStore, claims: Array<{ row: { domain: string; slug: string }; customSlug: boolean }>): Promise<void> {
  const claimed = new Set<string>();
  const bases = new Map(claims.map((claim) => [claim, claim.row.slug]));
  let pending = claims.filter((claim) => claim.customSlug);
  for (let round = 0; pending.length > 0 && round <= SUFFIX_ROUNDS; round++) {
    const retry: typeof pending = [];
    const byDomain = new Map<string, typeof pending>();
    for (const claim of pending) byDomain.set(claim.row.domain, [...(byDomain.get(claim.row.domain) ?? []), claim]);
    for (const [domain, group] of byDomain) {
      const taken = await links.takenSlugs(trx, domain, group.map((claim) => claim.row.slug));
      for (const claim of group) {
        const key = `${domain}/${claim.row.slug}`;
        if (!taken.has(claim.row.slug) && !claimed.has(key)) {
          claimed.add(key);
        } else {
          claim.row.slug = suffixed(bases.get(claim) as string, round);
          retry.push(claim);
        }
      }
    }
    pending = retry;
  }
}
