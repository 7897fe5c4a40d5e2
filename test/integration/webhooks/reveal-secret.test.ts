import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

const URL_A = 'https://93.184.216.34/hooks/reveal';

describe('POST /webhooks/:id/reveal-secret', () => {
  let t: TestEngine;
  before(async () => {
    t = await startTestEngine();
  });
  after(() => t.stop());

  const create = (key?: string) => t.api('POST', '/api/v1/webhooks', { body: { url: URL_A, events: ['link.created'] }, key });

  test('answers the current secret (also after a rotation) and audits each reveal without the secret', async () => {
    const created = await create();
    const revealed = await t.api('POST', `/api/v1/webhooks/${created.body.id}/reveal-secret`);
    assert.equal(revealed.status, 200, revealed.text);
    assert.equal(revealed.body.secret, created.body.secret);
    const rotated = await t.api('POST', `/api/v1/webhooks/${created.body.id}/rotate-secret`, { body: { grace_seconds: 0 } });
    assert.equal((await t.api('POST', `/api/v1/webhooks/${created.body.id}/reveal-secret`)).body.secret, rotated.body.secret);

    const audit = await t.api('GET', `/api/v1/audit-logs?action=webhook.secret_revealed&resource_id=${created.body.id}`);
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.body.data.length, 2);
    assert.ok(!audit.text.includes('whsec_'), 'the audit log never holds the secret');
  });

  test('needs webhooks:write (403), answers 404 for another workspace or mode, and for unknown ids', async () => {
    const created = await create();
    const reader = await t.createKey(['webhooks:read']);
    const refused = await t.api('POST', `/api/v1/webhooks/${created.body.id}/reveal-secret`, { key: reader });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.error.code, 'forbidden');

    const other = await t.createWorkspace('Other');
    assert.equal((await t.api('POST', `/api/v1/webhooks/${created.body.id}/reveal-secret`, { key: other.adminKey })).status, 404);
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    assert.equal((await t.api('POST', `/api/v1/webhooks/${created.body.id}/reveal-secret`, { key: testKey })).status, 404);
    assert.equal((await t.api('POST', '/api/v1/webhooks/wh_00000000000000000000000000/reveal-secret')).status, 404);
    assert.equal((await t.api('POST', '/api/v1/webhooks/not-an-id/reveal-secret')).status, 404, 'a malformed id is unknown, as elsewhere');
  });
});
