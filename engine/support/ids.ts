import { randomInt, randomUUID } from 'node:crypto';

export const ID_PREFIXES = ['ws', 'key', 'lnk', 'dom', 'pg', 'wh', 'msg', 'dlv', 'clk', 'req', 'evt', 'aud', 'mem', 'usr', 'ses', 'inv', 'tok', 'imp', 'exp', 'rule', 'fld', 'camp', 'utm', 'px', 'conv'] as const;
export type IdPrefix = (typeof ID_PREFIXES)[number];

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

// The hex digits of a v4 UUID that are random (the version and variant digits are skipped): 20 digits, 80 bits.
const RANDOM_HEX_DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35];
const CROCKFORD_CODES = Array.from(CROCKFORD, (c) => c.charCodeAt(0));

/**
 * 16 characters (80 random bits) re-encoded from a v4 UUID: randomUUID() draws from a cached CSPRNG pool and is
 * several times cheaper than randomBytes(), which matters for ids minted on every redirect and click.
 */
function encodeRandom(): string {
  const uuid = randomUUID();
  const codes = new Array<number>(16);
  let bits = 0;
  let pending = 0;
  let next = 0;
  for (const at of RANDOM_HEX_DIGITS) {
    const code = uuid.charCodeAt(at);
    bits = ((bits << 4) | (code <= 57 ? code - 48 : code - 87)) & 0x1ff;
    pending += 4;
    if (pending >= 5) {
      pending -= 5;
      codes[next++] = CROCKFORD_CODES[(bits >> pending) & 31];
    }
  }
  return String.fromCharCode(...codes);
}

/** Prefixed, time-sortable id: 10 characters of millisecond time, then 16 random ones (80 bits). */
export function newId(prefix: IdPrefix, now: number = Date.now()): string {
  return `${prefix}_${encodeTime(now)}${encodeRandom()}`;
}

/** The 80 random bits as four 20-bit quarters, each written as four digits. */
const QUARTER = 2 ** 20;

function encodeQuarter(value: number): string {
  return CROCKFORD[value >>> 15] + CROCKFORD[(value >>> 10) & 31] + CROCKFORD[(value >>> 5) & 31] + CROCKFORD[value & 31];
}

/**
 * newId() for ids minted at request rate (request ids, click ids): within one millisecond each id is the previous one
 * plus one (a monotonic ULID), so only the first id of a millisecond draws randomness. Ids of one millisecond follow
 * each other, so this is only for ids nobody needs to be hard to guess.
 */
export class IdSequence {
  private at = -1;
  /** Prefix, time and the first 60 random bits, as they stay for the millisecond (but for a rare carry). */
  private head = '';
  private readonly quarters = [0, 0, 0, 0];

  constructor(private readonly prefix: IdPrefix) {}

  next(now: number = Date.now()): string {
    const q = this.quarters;
    if (now !== this.at) {
      this.at = now;
      for (let i = 0; i < 4; i++) q[i] = randomInt(QUARTER);
    } else if (++q[3] === QUARTER) {
      q[3] = 0;
      for (let i = 2; i >= 0 && ++q[i] === QUARTER; i--) q[i] = 0;
    } else {
      return this.head + encodeQuarter(q[3]);
    }
    this.head = `${this.prefix}_${encodeTime(now)}${encodeQuarter(q[0])}${encodeQuarter(q[1])}${encodeQuarter(q[2])}`;
    return this.head + encodeQuarter(q[3]);
  }
}

export function hasPrefix(id: string, prefix: IdPrefix): boolean {
  return id.startsWith(`${prefix}_`) && /^[a-z]+_[0-9a-z]{26}$/.test(id);
}
