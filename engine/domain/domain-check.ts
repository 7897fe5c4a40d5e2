import { hmacBase64Url } from '../support/crypto';

/** Where every configured domain answers the check; multi-segment, so never a short link. */
export const DOMAIN_CHECK_PATH = '/.well-known/mask-domain-check';
export const DOMAIN_CHECK_NONCE = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * What this deployment answers at DOMAIN_CHECK_PATH/{nonce} on `hostname`: only a process holding the engine secret
 * can produce it, so a matching answer proves the domain's DNS (and proxy) lead to this MASK.
 */
export const domainCheckAnswer = (secret: string, hostname: string, nonce: string): string =>
  hmacBase64Url(secret, `mask-domain-check\0${hostname}\0${nonce}`);
