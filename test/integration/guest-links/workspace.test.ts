import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';

describe('MASK_GUEST_WORKSPACE designates the guest workspace', () => {
  let first: TestEngine;
  let guests: TestEngine;
  before(async () => {
    first = await startTestEngine();
    // A second engine on the same database, with the first one's workspace designated for guest links.
    guests = await startTestEngine({ databaseUrl: first.engine.config.databaseUrl, guestLinks: true, guestWorkspace: first.workspace.id });
  });
  after(async () => {
    await guests.stop();
    await first.stop();
  });

  test('guest links land in it, beside its own links, and its admins see them', async () => {
    const created = await guests.api('POST', '/api/v1/links/guest', { key: null, body: { url: 'https://example.com/designated' } });
    assert.equal(created.status, 201, created.text);
    assert.equal(await guests.parts.guestWorkspace.id(), first.workspace.id);
    const seen = await first.api('GET', `/api/v1/links/${created.body.id}`);
    assert.equal(seen.status, 200, seen.text);
    assert.equal(await guests.parts.db('engine_settings').where({ key: 'guest_workspace' }).first(), undefined, 'no workspace was made');
  });

  test('a workspace id that names no workspace stops the start with one line naming the setting', async () => {
    await assert.rejects(
      startTestEngine({ guestLinks: true, guestWorkspace: `ws_${'0'.repeat(26)}` }),
      /MASK_GUEST_WORKSPACE names ws_0+, which is no workspace of this instance/,
    );
  });

  test('a malformed id is a configuration error', async () => {
    await assert.rejects(startTestEngine({ guestWorkspace: 'default' }), /Invalid configuration: MASK_GUEST_WORKSPACE must be a workspace id/);
  });
});
