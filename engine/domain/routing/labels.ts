import { createHash } from 'node:crypto';

const MAX_LABEL = 253;

/**
 * How clicks and analytics name a variant: its URL. Rollup values hold at most 253 characters, so a longer URL is cut
 * and ends with a hash of the whole URL, keeping two long URLs with the same beginning apart.
 */
export function variantLabel(url: string): string {
  if (url.length <= MAX_LABEL) return url;
  const digest = createHash('sha256').update(url).digest('hex').slice(0, 16);
  return `${url.slice(0, MAX_LABEL - 17)}#${digest}`;
}
