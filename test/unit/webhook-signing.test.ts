import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { generateSecret, sign, signatureHeader } from '../../engine/webhooks/signer';

describe('webhook signatures (Standard Webhooks)', () => {
  test('reproduce the specification’s published test vector', () => {
    const signature = sign('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    assert.equal(signature, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  test('secrets are whsec_ + base64 of 32 random bytes, different every time', () => {
    const a = generateSecret();
    assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(a.slice(6), 'base64').length, 32);
    assert.notEqual(a, generateSecret());
  });

  test('what we sign, the standardwebhooks library verifies; a changed body or id does not', () => {
    const secret = generateSecret();
    const body = JSON.stringify({ id: 'msg_x', type: 'link.created', timestamp: '2026-01-01T00:00:00Z', workspace_id: 'ws_x', data: { ü: '✓' } });
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'msg_x', 'webhook-timestamp': String(timestamp), 'webhook-signature': sign(secret, 'msg_x', timestamp, body) };
    const verifier = new Webhook(secret);
    assert.deepEqual(verifier.verify(body, headers), JSON.parse(body));
    assert.throws(() => verifier.verify(body.replace('✓', 'x'), headers));
    assert.throws(() => verifier.verify(body, { ...headers, 'webhook-id': 'msg_y' }));
    assert.equal(sign(secret, 'msg_x', timestamp, body), new Webhook(secret).sign('msg_x', new Date(timestamp * 1000), body));
  });

  test('during a rotation the header carries one signature per secret, each verifiable on its own', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const header = signatureHeader([current, previous], 'msg_r', timestamp, '{}');
    assert.equal(header.split(' ').length, 2);
    for (const secret of [current, previous]) {
      new Webhook(secret).verify('{}', { 'webhook-id': 'msg_r', 'webhook-timestamp': String(timestamp), 'webhook-signature': header });
    }
    assert.throws(() => new Webhook(generateSecret()).verify('{}', { 'webhook-id': 'msg_r', 'webhook-timestamp': String(timestamp), 'webhook-signature': header }));
  });
});
