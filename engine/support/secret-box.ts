import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets at rest that must be recoverable (webhook signing secrets) are sealed with AES-256-GCM under a key that is
 * never stored in the database. A sealed value is `enc:v1:<key id>:<base64 of nonce (12) | ciphertext | tag (16)>`;
 * the key id is derived from the key, so a value sealed under another key is recognised and named, never mis-read.
 */
export const SEALED_PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

export interface SecretKey {
  /** 8 hex characters derived from the key. */
  id: string;
  key: Buffer;
  /** Where it came from, for error messages: `MASK_SECRET`, `MASK_SECRET_PREVIOUS`, a key file path… */
  source: string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

export const keyIdOf = (key: Buffer): string => createHash('sha256').update('mask:secret-box:key-id\n').update(key).digest('hex').slice(0, 8);

export function secretKey(key: Buffer, source: string): SecretKey {
  if (key.length !== KEY_BYTES) throw new SecretBoxError(`${source} is not a ${KEY_BYTES}-byte key`);
  return { id: keyIdOf(key), key, source };
}

/** The 32-byte sealing key derived (HKDF-SHA256) from a configured secret such as MASK_SECRET. */
export const deriveKey = (secret: string, source: string): SecretKey =>
  secretKey(Buffer.from(hkdfSync('sha256', secret, 'mask:secret-box:salt', 'mask:secret-box:v1', KEY_BYTES)), source);

export const isSealed = (value: string): boolean => value.startsWith(SEALED_PREFIX);

/** The key id of a sealed value, or null for plaintext (a value written before sealing existed). */
export const sealedKeyId = (value: string): string | null => (isSealed(value) ? value.slice(SEALED_PREFIX.length).split(':', 1)[0] : null);

/**
 * Seals with the first (current) key; opens values sealed under any of its keys (previous ones during a rotation),
 * and passes plaintext through unchanged, so rows written before sealing keep working until they are sealed.
 * Built empty and loaded at start-up, so services can be made before the key is known.
 */
export class SecretBox {
  private keys: SecretKey[] = [];

  load(keys: SecretKey[]): void {
    if (keys.length === 0) throw new SecretBoxError('A secret box needs at least one key');
    this.keys = keys;
  }

  get loaded(): boolean {
    return this.keys.length > 0;
  }

  /** The current key's id: values sealed under another one are re-sealed at start-up. */
  get currentKeyId(): string {
    return this.current().id;
  }

  private current(): SecretKey {
    const key = this.keys[0];
    if (!key) throw new SecretBoxError('The secret key is not loaded yet: call engine.start() first.');
    return key;
  }

  seal(plaintext: string): string {
    const { id, key } = this.current();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(`${SEALED_PREFIX}${id}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${SEALED_PREFIX}${id}:${Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64')}`;
  }

  /** Plaintext passes through (the transition); a value under an unknown key or tampered with throws SecretBoxError. */
  open(value: string): string {
    if (!isSealed(value)) return value;
    this.current();
    const rest = value.slice(SEALED_PREFIX.length);
    const colon = rest.indexOf(':');
    const id = colon < 0 ? '' : rest.slice(0, colon);
    const entry = this.keys.find((candidate) => candidate.id === id);
    if (!entry) {
      throw new SecretBoxError(
        `A stored secret was sealed with key ${id || '(none)'}, which this engine does not have (it has ${this.keys.map((k) => `${k.id} from ${k.source}`).join(', ')}): ` +
          'start with the MASK_SECRET (or mask.key file) that sealed it, or set MASK_SECRET_PREVIOUS to it while rotating',
      );
    }
    const raw = Buffer.from(rest.slice(colon + 1), 'base64');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new SecretBoxError(`A stored secret sealed with key ${id} is truncated`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', entry.key, raw.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(`${SEALED_PREFIX}${id}`));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError(`A stored secret sealed with key ${id} failed authentication: it was altered or corrupted`);
    }
  }

  /** True when the value is plaintext or sealed under a key other than the current one. */
  needsSealing(value: string): boolean {
    return sealedKeyId(value) !== this.current().id;
  }
}
