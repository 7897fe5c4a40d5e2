/** Longest texts a click keeps; anything longer is cut at capture, so memory and rows stay bounded. */
export const LIMITS = {
  userAgent: 512,
  referrer: 500,
  referrerHost: 253,
  name: 64,
} as const;

/** Cuts to at most `max` UTF-16 units without leaving half a surrogate pair behind. */
export function bounded(value: string, max: number): string {
  if (value.length <= max) return value;
  const cut = value.slice(0, max);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A header's value as one bounded string, or null when absent or empty. */
export function headerText(value: string | string[] | undefined, max: number): string | null {
  const text = Array.isArray(value) ? value[0] : value;
  return text ? bounded(text, max) : null;
}
