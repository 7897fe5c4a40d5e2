import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { startReceiver, type Receiver } from '../../support/webhook-receiver';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The delivery log filtered by event type and creation time in the API (query parameters of the list route). */
describe('webhook delivery log: event type and time filters', () => {
  let t: TestEngine;
  let receiver: Receiver;
  let endpointId: string;
  const sent: { id: string; event_type: string; created_at: string }[] = [];
  const list = (query: string) => t.api('GET', `/api/v1/webhooks/${endpointId}/deliveries?${query.includes('limit=') ? '' : 'limit=100&'}${query}`);
  const ids = async (query: string) => {
    const response = await list(query);
    assert.equal(response.status, 200, response.text);
    return (response.body.data as { id: string }[]).map((d) => d.id).sort();
  };

  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await startReceiver();
    const created = await t.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hook`, events: ['*'] } });
    assert.equal(created.status, 201, created.text);
    endpointId = created.body.id;
    for (const type of ['link.created', 'link.updated', 'link.created', 'link.deleted']) {
      const test = await t.api('POST', `/api/v1/webhooks/${endpointId}/test`, { body: { type } });
      assert.equal(test.status, 202, test.text);
      sent.push(test.body);
      // Timestamps are answered to the second: one delivery per second keeps the range boundaries apart.
      await pause(1050);
    }
  });
  after(async () => {
    await t.stop();
    await receiver.close();
  });

  test('event_type narrows the log to that type', async () => {
    const created = sent.filter((d) => d.event_type === 'link.created').map((d) => d.id).sort();
    assert.equal(created.length, 2);
    assert.deepEqual(await ids('event_type=link.created'), created);
    assert.deepEqual(await ids('event_type=link.deleted'), [sent[3].id]);
    assert.deepEqual(await ids('event_type=click.recorded'), []);
  });

  test('created_after is inclusive, created_before exclusive; both combine with event_type and paginate', async () => {
    const [first, second, third, fourth] = sent;
    assert.deepEqual(await ids(`created_after=${encodeURIComponent(second.created_at)}`), [second.id, third.id, fourth.id].sort());
    assert.deepEqual(await ids(`created_before=${encodeURIComponent(third.created_at)}`), [first.id, second.id].sort());
    assert.deepEqual(await ids(`created_after=${encodeURIComponent(second.created_at)}&created_before=${encodeURIComponent(fourth.created_at)}&event_type=link.created`), [third.id]);

    const page = await list(`limit=1&event_type=link.created`);
    assert.equal(page.body.pagination.has_more, true);
    const next = await list(`limit=1&event_type=link.created&cursor=${page.body.pagination.cursor}`);
    assert.equal(next.status, 200, next.text);
    assert.deepEqual([page.body.data[0].id, next.body.data[0].id].sort(), [first.id, third.id].sort());
    assert.equal(next.body.pagination.has_more, false);
  });

  test('bad filters answer 422 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['event_type=link.exploded', 'event_type'],
      ['created_after=yesterday', 'created_after'],
      ['created_before=2026-01-01', 'created_before'],
      [`created_after=${encodeURIComponent(sent[2].created_at)}&created_before=${encodeURIComponent(sent[1].created_at)}`, 'created_after'],
    ];
    for (const [query, field] of cases) {
      const response = await list(query);
      assert.equal(response.status, 422, `${query}: ${response.text}`);
      assert.equal(response.body.error.code, 'validation_error');
      assert.ok(
        response.body.error.details.some((d: { field: string }) => d.field === field),
        `${query}: ${response.text}`,
      );
    }
  });
});
