import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

/** A Standard Webhooks secret: `whsec_` + base64 of 32 random bytes. */
export const generateSecret = (): string => `${PREFIX}${randomBytes(32).toString('base64')}`;

const keyOf = (secret: string): Buffer => Buffer.from(secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret, 'base64');

/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the secret's decoded bytes. */
export function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const digest = createHmac('sha256', keyOf(secret)).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64');
  return `v1,${digest}`;
}

/** The `webhook-signature` value: one signature per active secret, space-separated (two while a rotation settles). */
export const signatureHeader = (secrets: readonly string[], messageId: string, timestampSeconds: number, body: string): string =>
  secrets.map((secret) => sign(secret, messageId, timestampSeconds, body)).join(' ');
