// Links changed in bulk by another resource — moved by a folder operation, taken out of a deleted campaign, stripped of
// a deleted pixel — are audited and announced like any link update, so a webhook consumer's copy stays true.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { subscribeReceiver, type Receiver } from '../../support/webhook-receiver';

describe('links changed by folders, campaigns and pixels', () => {
  let t: TestEngine;
  let receiver: Receiver;
  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await subscribeReceiver(t);
  });
  after(async () => {
    await receiver?.close();
    await t.stop();
  });

  const create = async (path: string, body: unknown) => {
    const response = await t.api('POST', `/api/v1/${path}`, { body });
    assert.equal(response.status, 201, response.text);
    return response.body;
  };
  /** The `link.updated` events stored for `linkId` (written in the transaction of the change), oldest first. */
  const updatesOf = async (linkId: string) => {
    const rows: Array<{ payload: string }> = await t.parts.db('events').where({ workspace_id: t.workspace.id, type: 'link.updated' }).andWhere('payload', 'like', `%"id":"${linkId}"%`).orderBy('id');
    return rows.map((row) => (JSON.parse(row.payload) as { data: Record<string, unknown> }).data);
  };
  /** The `field` change of each `link.updated` audit entry of `linkId`, oldest first, as [before, after]. */
  const auditedChanges = async (linkId: string, field: string) => {
    const audit = await t.api('GET', `/api/v1/audit-logs?resource_type=link&resource_id=${linkId}`);
    assert.equal(audit.status, 200, audit.text);
    const entries = audit.body.data.filter((entry: { action: string }) => entry.action === 'link.updated') as Array<{ changes: Record<string, { before: unknown; after: unknown }> }>;
    return entries.reverse().map((entry) => [entry.changes[field]?.before, entry.changes[field]?.after]);
  };

  test('a folder move, then deleting the folder with its links moved out: one link.updated each, with the new folder_id', async () => {
    const folder = await create('folders', { name: 'Spring' });
    const link = await create('links', { url: 'https://example.com/moved' });
    assert.equal((await t.api('POST', '/api/v1/folders/move-links', { body: { link_ids: [link.id], folder_id: folder.id } })).status, 200);
    assert.equal((await t.api('DELETE', `/api/v1/folders/${folder.id}?move_links=true`)).status, 200);
    const updates = await updatesOf(link.id);
    assert.deepEqual(updates.map((data) => data.folder_id), [folder.id, null]);
    assert.equal(updates[0].url, 'https://example.com/moved', 'the event carries the whole link');
    assert.deepEqual(await auditedChanges(link.id, 'folder_id'), [[null, folder.id], [folder.id, null]]);
  });

  test('deleting a campaign: its links are announced without it', async () => {
    const campaign = await create('campaigns', { name: 'Launch' });
    const link = await create('links', { url: 'https://example.com/campaign', campaign_id: campaign.id });
    assert.equal((await t.api('DELETE', `/api/v1/campaigns/${campaign.id}`)).status, 200);
    const updates = await updatesOf(link.id);
    assert.deepEqual(updates.map((data) => data.campaign_id), [null]);
    assert.deepEqual(await auditedChanges(link.id, 'campaign_id'), [[campaign.id, null]]);
  });

  test('deleting a pixel: each link carrying it is announced with the pixels it keeps', async () => {
    const gone = await create('pixels', { name: 'Gone', provider: 'meta', pixel_id: '1234567890' });
    const kept = await create('pixels', { name: 'Kept', provider: 'meta', pixel_id: '1234567891' });
    const link = await create('links', { url: 'https://example.com/pixels', pixel_ids: [gone.id, kept.id] });
    const other = await create('links', { url: 'https://example.com/no-pixels' });
    assert.equal((await t.api('DELETE', `/api/v1/pixels/${gone.id}`)).status, 200);
    assert.deepEqual((await updatesOf(link.id)).map((data) => data.pixel_ids), [[kept.id]]);
    assert.deepEqual(await updatesOf(other.id), [], 'a link without the pixel is not touched');
    assert.deepEqual(await auditedChanges(link.id, 'pixel_ids'), [[[gone.id, kept.id], [kept.id]]]);
  });
});
