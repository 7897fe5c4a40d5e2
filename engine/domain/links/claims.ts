import type { Knex } from 'knex';
import { AddressTaken, type LinkStore } from '../../store/links';
import type { TransactionRunner } from '../../store/transactions';
import { ApiError, validationError } from '../../support/errors';
import { randomSlug } from './slugs';

/**
 * Claiming a link's slug or a page's handle on a domain, shared by links and bio pages: the claim is checked inside
 * the writing transaction, and a concurrent writer that takes the address between check and write makes the write fail
 * (AddressTaken); the transaction then runs again, where the check sees the other row.
 */

const MAX_ATTEMPTS = 3;
const MAX_SLUG_ROUNDS = 5;

export const notOwned = (domain: string) => validationError([{ field: 'domain', message: `${domain} is not a domain of this workspace` }]);

export const addressConflict = (field: 'slug' | 'handle', domain: string, value: string) =>
  new ApiError('conflict', `The ${field} "${value}" is already in use on ${domain}.`, [{ field, message: 'Already in use on this domain' }]);

/** One transaction; when an address was taken meanwhile, the whole transaction runs again (at most three times). */
export async function transactionClaimingAddresses<T>(transactions: TransactionRunner, work: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactions.run(work);
    } catch (error) {
      if (!(error instanceof AddressTaken) || attempt === MAX_ATTEMPTS) throw error;
    }
  }
}

/** A link about to be written: its row's domain and slug, chosen by the caller (`customSlug`) or random. */
export interface SlugClaim {
  row: { domain: string; slug: string };
  customSlug: boolean;
}

/**
 * Gives every claim a free slug on its domain: a taken custom slug (in the database or earlier in the same batch) is
 * a conflict, answered in the result; a taken random one is drawn again.
 */
export async function claimSlugs<C extends SlugClaim>(trx: Knex, links: LinkStore, claims: C[]): Promise<Map<C, ApiError>> {
  const conflicts = new Map<C, ApiError>();
  const claimed = new Set<string>();
  let pending = claims;
  for (let round = 0; pending.length > 0; round++) {
    if (round === MAX_SLUG_ROUNDS) throw new Error('No free random slug found; the slug space may be crowded.');
    const retry: C[] = [];
    for (const [domain, group] of groupBy(pending, (claim) => claim.row.domain)) {
      const taken = await links.takenSlugs(trx, domain, group.map((claim) => claim.row.slug));
      for (const claim of group) {
        const key = `${domain}/${claim.row.slug}`;
        if (!taken.has(claim.row.slug) && !claimed.has(key)) {
          claimed.add(key);
        } else if (claim.customSlug) {
          conflicts.set(claim, addressConflict('slug', domain, claim.row.slug));
        } else {
          claim.row.slug = randomSlug();
          retry.push(claim);
        }
      }
    }
    pending = retry;
  }
  return conflicts;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
