import { BUCKETS, type Variant } from './types';

/**
 * The bucket (0–99) of a visitor in one split: a 32-bit FNV-1a hash of the split's id, the client address and the user
 * agent, finished with MurmurHash3's mixer so nearby inputs spread evenly. It needs no storage and no secret (nothing
 * is kept), every process computes the same bucket, and it does not rotate daily like the stored visitor hash, so a
 * visitor keeps their variant.
 */
export function bucketOf(splitId: string, address: string, userAgent: string): number {
  let hash = 0x811c9dc5;
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    hash ^= 0x0a;
    hash = Math.imul(hash, 0x01000193);
  };
  feed(splitId);
  feed(address);
  feed(userAgent);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % BUCKETS;
}

/**
 * Which variant serves each bucket: buckets are handed out in variant order (50/50 gives 0–49 to the first and 50–99 to
 * the second). Changing weights moves only the buckets at the boundaries that shift, so going from 50/50 to 60/40
 * moves buckets 50–59 (a tenth of the visitors) and nobody else.
 */
export function bucketTable(variants: readonly Pick<Variant, 'weight'>[]): Uint8Array {
  const table = new Uint8Array(BUCKETS);
  let next = 0;
  variants.forEach((variant, index) => {
    for (let i = 0; i < variant.weight && next < BUCKETS; i++) table[next++] = index;
  });
  return table;
}
