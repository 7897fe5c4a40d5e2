import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { verifyStandardWebhook } from '../../nodes/MaskTrigger/signature';

// Deliveries are signed with the reference Standard Webhooks library, so the trigger is checked against
// the scheme itself rather than against a second copy of its own code.
const secret = `whsec_${randomBytes(32).toString('base64')}`;
const body = Buffer.from(JSON.stringify({ id: 'msg_1', type: 'click.recorded', timestamp: '2026-03-13T10:00:00Z', data: { link_id: 'lnk_1' } }));
const now = 1_800_000_000;

function signed(at = now, key = secret, payload = body) {
	const signature = new Webhook(key).sign('msg_01', new Date(at * 1000), payload.toString('utf8'));
	return { 'webhook-id': 'msg_01', 'webhook-timestamp': String(at), 'webhook-signature': signature };
}

describe('Standard Webhooks verification (MASK Trigger)', () => {
	test('accepts a delivery signed with the endpoint secret', () => {
		assert.deepEqual(verifyStandardWebhook({ secret, headers: signed(), rawBody: body, nowSeconds: now }), { valid: true });
	});

	test('accepts a signature list during secret rotation when one entry matches', () => {
		const headers = signed();
		const other = signed(now, `whsec_${randomBytes(32).toString('base64')}`)['webhook-signature'];
		headers['webhook-signature'] = `${other} ${headers['webhook-signature']}`;
		assert.equal(verifyStandardWebhook({ secret, headers, rawBody: body, nowSeconds: now }).valid, true);
	});

	test('refuses a forged signature, another secret, or a changed body', () => {
		const forged = { ...signed(), 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` };
		assert.equal(verifyStandardWebhook({ secret, headers: forged, rawBody: body, nowSeconds: now }).valid, false);
		const otherSecret = signed(now, `whsec_${randomBytes(32).toString('base64')}`);
		assert.equal(verifyStandardWebhook({ secret, headers: otherSecret, rawBody: body, nowSeconds: now }).valid, false);
		const tampered = Buffer.from(body.toString().replace('lnk_1', 'lnk_2'));
		assert.equal(verifyStandardWebhook({ secret, headers: signed(), rawBody: tampered, nowSeconds: now }).valid, false);
	});

	test('refuses stale and future timestamps beyond 300 seconds, accepts them within', () => {
		assert.equal(verifyStandardWebhook({ secret, headers: signed(now - 301), rawBody: body, nowSeconds: now }).valid, false);
		assert.equal(verifyStandardWebhook({ secret, headers: signed(now + 301), rawBody: body, nowSeconds: now }).valid, false);
		assert.equal(verifyStandardWebhook({ secret, headers: signed(now - 299), rawBody: body, nowSeconds: now }).valid, true);
	});

	test('refuses unsigned requests and malformed headers', () => {
		assert.equal(verifyStandardWebhook({ secret, headers: {}, rawBody: body, nowSeconds: now }).valid, false);
		const { 'webhook-signature': _dropped, ...unsigned } = signed();
		assert.equal(verifyStandardWebhook({ secret, headers: unsigned, rawBody: body, nowSeconds: now }).valid, false);
		assert.equal(verifyStandardWebhook({ secret, headers: { ...signed(), 'webhook-timestamp': 'yesterday' }, rawBody: body, nowSeconds: now }).valid, false);
		assert.equal(verifyStandardWebhook({ secret, headers: { ...signed(), 'webhook-signature': 'v2,abc' }, rawBody: body, nowSeconds: now }).valid, false);
	});
});
