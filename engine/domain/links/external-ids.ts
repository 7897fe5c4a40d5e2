import type { Knex } from 'knex';
import type { LinkOwner, LinkStore } from '../../store/links';
import { ApiError } from '../../support/errors';

export const externalIdTaken = (externalId: string) =>
  new ApiError('conflict', `The external_id "${externalId}" is already used by another link of this workspace.`, [
    { field: 'external_id', message: 'Already used by another link' },
  ]);

/**
 * Refuses external ids already used in the owner's workspace and mode (or twice in the same batch), checked in the
 * writing transaction; the unique index catches a concurrent writer (AddressTaken: the transaction runs again).
 */
export async function claimExternalIds<C extends { row: { id: string; external_id?: string | null } }>(
  trx: Knex,
  links: LinkStore,
  owner: LinkOwner,
  claims: C[],
): Promise<Map<C, ApiError>> {
  const wanted = claims.filter((claim) => claim.row.external_id);
  const conflicts = new Map<C, ApiError>();
  if (wanted.length === 0) return conflicts;
  const taken = await links.externalIdOwners(trx, owner, wanted.map((claim) => claim.row.external_id as string));
  const claimed = new Set<string>();
  for (const claim of wanted) {
    const externalId = claim.row.external_id as string;
    const holder = taken.get(externalId);
    if ((holder && holder !== claim.row.id) || claimed.has(externalId)) conflicts.set(claim, externalIdTaken(externalId));
    claimed.add(externalId);
  }
  return conflicts;
}
