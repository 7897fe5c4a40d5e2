import { createHmac, timingSafeEqual } from 'node:crypto';

/** Deliveries older or newer than this are refused, so a captured request cannot be replayed later. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Request headers as Node gives them (lower-case names). */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

export type Verdict = { valid: true } | { valid: false; reason: string };

export interface SignedRequest {
	/** The endpoint secret: `whsec_` + base64 of the key. */
	secret: string;
	headers: WebhookHeaders;
	/** The body exactly as received: the signature covers these bytes. */
	rawBody: Buffer;
	nowSeconds?: number;
	toleranceSeconds?: number;
}

const header = (headers: WebhookHeaders, name: string): string | undefined => {
	const value = headers[name];
	return Array.isArray(value) ? value[0] : value;
};

function signingKey(secret: string): Buffer {
	return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, as the Standard Webhooks scheme signs. */
export function standardWebhookSignature(secret: string, id: string, timestamp: string, rawBody: Buffer): string {
	return createHmac('sha256', signingKey(secret)).update(`${id}.${timestamp}.`).update(rawBody).digest('base64');
}

/**
 * Verifies a Standard Webhooks delivery: `webhook-id`, `webhook-timestamp` within the tolerance, and a
 * `webhook-signature` list (`v1,<base64>` entries, several during secret rotation) of which one must match.
 */
export function verifyStandardWebhook(request: SignedRequest): Verdict {
	const id = header(request.headers, 'webhook-id');
	const timestamp = header(request.headers, 'webhook-timestamp');
	const signatures = header(request.headers, 'webhook-signature');
	if (!id || !timestamp || !signatures) return { valid: false, reason: 'The request is not signed (webhook-id, webhook-timestamp and webhook-signature are required)' };
	if (!/^\d+$/.test(timestamp)) return { valid: false, reason: 'The webhook-timestamp header is not a Unix time in seconds' };

	const now = request.nowSeconds ?? Math.floor(Date.now() / 1000);
	const tolerance = request.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
	if (Math.abs(now - Number(timestamp)) > tolerance) return { valid: false, reason: `The delivery timestamp is more than ${tolerance} seconds away from now` };

	const expected = Buffer.from(standardWebhookSignature(request.secret, id, timestamp, request.rawBody), 'base64');
	const matches = signatures.split(' ').some((entry) => {
		const [version, signature] = entry.split(',', 2);
		if (version !== 'v1' || !signature) return false;
		const given = Buffer.from(signature, 'base64');
		return given.length === expected.length && timingSafeEqual(given, expected);
	});
	return matches ? { valid: true } : { valid: false, reason: 'No webhook-signature matches the body and the endpoint secret' };
}
