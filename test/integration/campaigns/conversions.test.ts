import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestEngine, TEST_DOMAIN, type TestEngine } from '../../support/engine';
import { assertValidation } from '../../support/links';
import { DESKTOP_UA, visit } from '../../support/redirect-client';
import { subscribeReceiver, until, type Receiver } from '../../support/webhook-receiver';

const SHOP = 'https://shop.example.com';

describe('Conversion tracking: click ids, leads, sales, attribution and analytics', () => {
  let t: TestEngine;
  let receiver: Receiver;
  let campaignId: string;
  let linkId: string;
  let publishableKey: string;

  before(async () => {
    t = await startTestEngine({ webhookAllowedHosts: 'loopback' });
    receiver = await subscribeReceiver(t);
    campaignId = (await t.api('POST', '/api/v1/campaigns', { body: { name: 'Launch', utm_campaign: 'launch' } })).body.id;
    linkId = (await t.api('POST', '/api/v1/links', { body: { url: `${SHOP}/landing?ref=x`, slug: 'launch', campaign_id: campaignId } })).body.id;
    await t.api('POST', '/api/v1/links', { body: { url: `${SHOP}/plain`, slug: 'plain' } });
    const settings = await t.api('PATCH', '/api/v1/conversions/settings', { body: { allowed_origins: [SHOP], attribution_window_days: 30 } });
    assert.equal(settings.status, 200, settings.text);
    publishableKey = (await t.api('POST', '/api/v1/conversions/settings/publishable-key')).body.publishable_key;
    assert.match(publishableKey, /^mk_pub_/);
  });
  after(async () => {
    await t.stop();
    await receiver.close();
  });

  const click = async (slug = 'launch', country = 'DE'): Promise<string> => {
    const redirect = await visit(t.baseUrl, `/${slug}`, { host: TEST_DOMAIN, headers: { 'user-agent': DESKTOP_UA, 'cf-ipcountry': country } });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.location as string);
    assert.equal(location.searchParams.get('ref'), 'x', 'the destination keeps its own query');
    const clickId = location.searchParams.get('mask_click_id');
    assert.match(clickId ?? '', /^clk_[0-9a-z]{26}$/);
    return clickId as string;
  };

  const lead = (body: Record<string, unknown>, options: { key?: string; headers?: Record<string, string> } = {}) =>
    t.api('POST', '/api/v1/track/lead', { body: { event_name: 'Sign up', ...body }, ...options });
  const sale = (body: Record<string, unknown>, options: { key?: string; headers?: Record<string, string> } = {}) =>
    t.api('POST', '/api/v1/track/sale', { body: { event_name: 'Purchase', currency: 'EUR', ...body }, ...options });

  test('a redirect appends a click id only where tracking is on; a lead and a later sale are tied to that click', async () => {
    const plain = await visit(t.baseUrl, '/plain', { host: TEST_DOMAIN });
    assert.equal(new URL(plain.location as string).searchParams.get('mask_click_id'), null);

    const clickId = await click();
    // Reported at once: the click may still be in the buffer.
    const recorded = await lead({ click_id: clickId, customer_id: 'cus-1' });
    assert.equal(recorded.status, 201, recorded.text);
    const leadConversion = recorded.body.conversion;
    assert.equal(leadConversion.attributed, true);
    assert.equal(leadConversion.link_id, linkId);
    assert.equal(leadConversion.campaign_id, campaignId);
    assert.equal(leadConversion.country, 'DE');

    // The sale names no click: the customer's last click and lead are used.
    const sold = await sale({ customer_id: 'cus-1', amount: 4999, idempotency_key: 'order-1' });
    assert.equal(sold.status, 201, sold.text);
    assert.equal(sold.body.conversion.click_id, clickId);
    assert.equal(sold.body.conversion.lead_id, leadConversion.id);
    assert.equal(sold.body.conversion.campaign_id, campaignId);
    assert.equal(sold.body.duplicate, false);
  });

  test('a repeated idempotency key is answered with the first sale and counted once; with other values it is a 409', async () => {
    const clickId = await click();
    const first = await sale({ click_id: clickId, customer_id: 'cus-2', amount: 1000, idempotency_key: 'order-2' });
    assert.equal(first.status, 201);
    const again = await sale({ click_id: clickId, customer_id: 'cus-2', amount: 1000, idempotency_key: 'order-2' });
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.conversion.id, first.body.conversion.id);
    const changed = await sale({ click_id: clickId, customer_id: 'cus-2', amount: 2000, idempotency_key: 'order-2' });
    assert.equal(changed.status, 409);
    assert.deepEqual(changed.body.error.details.map((d: { field: string }) => d.field), ['idempotency_key']);
  });

  test('events reported together are written in one batch and see each other, in order', async () => {
    const clickId = await click();
    const actor = { workspaceId: t.workspace.id, mode: 'live' as const, keyId: null, requestId: null, scopes: ['admin' as const] };
    const { tracker } = t.parts.conversions;
    const order = { customer_id: 'cus-batch', event_name: 'Purchase', amount: 300, currency: 'EUR', idempotency_key: 'order-batch' };
    const [leadOutcome, first, repeat, changed] = await Promise.allSettled([
      tracker.lead(actor, { click_id: clickId, customer_id: 'cus-batch', event_name: 'Sign up' }),
      tracker.sale(actor, order),
      tracker.sale(actor, order),
      tracker.sale(actor, { ...order, amount: 999 }),
    ]);
    assert.ok(leadOutcome.status === 'fulfilled' && first.status === 'fulfilled' && repeat.status === 'fulfilled');
    assert.equal(first.value.conversion.lead_id, leadOutcome.value.conversion.id);
    assert.equal(first.value.conversion.click_id, clickId);
    assert.equal(repeat.value.duplicate, true);
    assert.equal(repeat.value.conversion.id, first.value.conversion.id);
    assert.equal(changed.status, 'rejected');
    assert.equal((changed.reason as { status: number }).status, 409);
  });

  test('a lead with an idempotency key is counted once too', async () => {
    const clickId = await click();
    const first = await lead({ click_id: clickId, customer_id: 'cus-lead-key', idempotency_key: 'signup-1' });
    assert.equal(first.status, 201);
    const again = await lead({ click_id: clickId, customer_id: 'cus-lead-key', idempotency_key: 'signup-1' });
    assert.equal(again.status, 200);
    assert.equal(again.body.duplicate, true);
    assert.equal(again.body.conversion.id, first.body.conversion.id);
  });

  test('an unknown click id is accepted, recorded unattributed and said so', async () => {
    const unknown = await lead({ click_id: 'clk_00000000000000000000000000', customer_id: 'cus-3' });
    assert.equal(unknown.status, 201);
    assert.equal(unknown.body.conversion.attributed, false);
    assert.equal(unknown.body.conversion.unattributed_reason, 'unknown_click_id');
    const none = await sale({ customer_id: 'cus-nobody', amount: 500, idempotency_key: 'order-3' });
    assert.equal(none.body.conversion.unattributed_reason, 'no_click_id');
    const garbage = await lead({ click_id: 'not-a-click', customer_id: 'cus-3' });
    assert.equal(garbage.body.conversion.unattributed_reason, 'unknown_click_id');
  });

  test('a click outside the attribution window is accepted unattributed', async () => {
    const clickId = await click();
    await lead({ click_id: clickId, customer_id: 'cus-window' });
    // Move the click back 40 days (beyond the 30-day window) in the database itself.
    await t.parts.db('clicks').where({ id: clickId }).update({ created_at: Date.now() - 40 * 86_400_000 });
    const late = await sale({ click_id: clickId, customer_id: 'cus-late', amount: 100, idempotency_key: 'order-late' });
    assert.equal(late.body.conversion.attributed, false);
    assert.equal(late.body.conversion.unattributed_reason, 'click_outside_window');
  });

  test('bad amounts, currencies and missing fields are 422 and store nothing', async () => {
    const before = (await t.api('GET', `/api/v1/analytics/conversions?group_by=link`)).body.totals.sales;
    assertValidation(await sale({ customer_id: 'c', amount: 100, currency: 'XYZ', idempotency_key: 'k1' }), ['currency']);
    assertValidation(await sale({ customer_id: 'c', amount: -5, idempotency_key: 'k2' }), ['amount']);
    assertValidation(await sale({ customer_id: 'c', amount: 1e15, idempotency_key: 'k3' }), ['amount']);
    assertValidation(await sale({ customer_id: 'c', amount: 10.5, idempotency_key: 'k4' }), ['amount']);
    assertValidation(await sale({ customer_id: 'c', amount: 100 }), ['idempotency_key']);
    assertValidation(await lead({ customer_id: '' }), ['customer_id']);
    assert.equal((await t.api('GET', `/api/v1/analytics/conversions?group_by=link`)).body.totals.sales, before);
  });

  test('a publishable key works only on the track endpoints and only from an allowed origin (CORS)', async () => {
    const clickId = await click();
    const preflight = await fetch(`${t.baseUrl}/api/v1/track/lead`, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), SHOP);
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);

    const allowed = await lead({ click_id: clickId, customer_id: 'cus-browser' }, { key: publishableKey, headers: { origin: SHOP } });
    assert.equal(allowed.status, 201, allowed.text);
    assert.equal(allowed.headers.get('access-control-allow-origin'), SHOP);

    const otherOrigin = await lead({ click_id: clickId, customer_id: 'cus-browser' }, { key: publishableKey, headers: { origin: 'https://evil.example.org' } });
    assert.equal(otherOrigin.status, 403);
    assert.equal(otherOrigin.headers.get('access-control-allow-origin'), null, 'the browser refuses the response');
    const noOrigin = await lead({ customer_id: 'cus-browser' }, { key: publishableKey });
    assert.equal(noOrigin.status, 403);

    for (const [method, path] of [['GET', '/api/v1/links'], ['GET', '/api/v1/conversions/settings'], ['POST', '/api/v1/links']]) {
      const refused = await t.api(method, path, { key: publishableKey, headers: { origin: SHOP }, body: method === 'POST' ? { url: 'https://example.com' } : undefined });
      assert.equal(refused.status, 403, `${method} ${path}`);
      assert.match(refused.body.error.message, /publishable key/);
    }
    const invalid = await lead({ customer_id: 'x' }, { key: 'mk_pub_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', headers: { origin: SHOP } });
    assert.equal(invalid.status, 401);
    const readOnly = await t.createKey(['links:read']);
    assert.equal((await lead({ customer_id: 'x' }, { key: readOnly })).status, 403);
  });

  test('test-mode keys track into their own mode; another workspace cannot attribute to this one’s clicks', async () => {
    const clickId = await click();
    const other = await t.createWorkspace('Other');
    const foreign = await lead({ click_id: clickId, customer_id: 'cus-foreign' }, { key: other.adminKey });
    assert.equal(foreign.body.conversion.attributed, false);
    assert.equal(foreign.body.conversion.unattributed_reason, 'unknown_click_id');
    const testKey = await t.createKey(['admin'], { mode: 'test' });
    const testMode = await lead({ click_id: clickId, customer_id: 'cus-test' }, { key: testKey });
    assert.equal(testMode.body.conversion.attributed, false);
    assert.equal((await t.api('GET', `/api/v1/conversions/${testMode.body.conversion.id}`)).status, 404);
    assert.equal((await t.api('GET', `/api/v1/conversions/${testMode.body.conversion.id}`, { key: testKey })).status, 200);
  });

  test('campaign analytics, webhooks and the export show what was reported', async () => {
    const customer = 'cus-report';
    const clickId = await click('launch', 'FR');
    await lead({ click_id: clickId, customer_id: customer });
    await sale({ click_id: clickId, customer_id: customer, amount: 2500, currency: 'usd', idempotency_key: 'order-report' });
    await sale({ click_id: clickId, customer_id: customer, amount: 2500, currency: 'usd', idempotency_key: 'order-report' });

    const report = await t.api('GET', `/api/v1/campaigns/${campaignId}/analytics?group_by=country`);
    assert.equal(report.status, 200, report.text);
    const france = report.body.data.find((row: { value: string }) => row.value === 'FR');
    assert.ok(france, report.text);
    assert.equal(france.clicks, 1);
    assert.equal(france.leads, 1);
    assert.equal(france.sales, 1);
    assert.deepEqual(france.revenue, { USD: 2500 });
    assert.ok(report.body.totals.clicks >= 6);

    const series = await t.api('GET', `/api/v1/campaigns/${campaignId}/analytics?interval=day`);
    assert.equal(series.status, 200, series.text);
    const sum = series.body.data.reduce((total: number, point: { sales: number }) => total + point.sales, 0);
    assert.equal(sum, series.body.totals.sales);
    const byCampaign = await t.api('GET', '/api/v1/analytics/conversions?group_by=campaign');
    const row = byCampaign.body.data.find((item: { value: string }) => item.value === campaignId);
    assert.equal(row.sales, report.body.totals.sales);
    assert.ok(row.clicks >= 6);

    await until(
      () => {
        const types = receiver.received.map((r) => JSON.parse(r.body) as { type: string; data: { idempotency_key: string | null } });
        return types.some((e) => e.type === 'lead.recorded') && types.some((e) => e.type === 'sale.recorded' && e.data.idempotency_key === 'order-report');
      },
      'lead.recorded and sale.recorded deliveries',
    );
    // The outbox, not the receiver: an event is written in the transaction of its conversion, so once the repeat has
    // been answered its event would already be there, while its delivery could still be on the way.
    const announced = await t.parts.db('events').where({ workspace_id: t.workspace.id, type: 'sale.recorded' }).andWhere('payload', 'like', '%"idempotency_key":"order-report"%');
    assert.equal(announced.length, 1, 'the repeated sale is not announced again');

    const csv = await fetch(`${t.baseUrl}/api/v1/analytics/conversions/export?campaign_id=${campaignId}`, { headers: { authorization: `Bearer ${t.adminKey}` } });
    assert.equal(csv.status, 200);
    const lines = (await csv.text()).trim().split('\r\n');
    assert.match(lines[0], /^id,created_at,type,event_name,customer_id,attributed/);
    assert.equal(lines.filter((line) => line.includes('order-report')).length, 1);
  });

  test('the workspace setting turns click ids on for every link, under a parameter name of its choice', async () => {
    const changed = await t.api('PATCH', '/api/v1/conversions/settings', { body: { track_conversions: true, click_id_param: 'cid' } });
    const unchanged = await t.api('PATCH', '/api/v1/conversions/settings', { body: { track_conversions: true } });
    assert.equal(unchanged.body.updated_at, changed.body.updated_at, 'a patch that changes nothing writes nothing');
    const redirect = await visit(t.baseUrl, '/plain', { host: TEST_DOMAIN });
    assert.match(new URL(redirect.location as string).searchParams.get('cid') ?? '', /^clk_/);
    const optedOut = (await t.api('PATCH', `/api/v1/links/${linkId}`, { body: { track_conversions: false } })).body;
    assert.equal(optedOut.track_conversions, false);
    const none = await visit(t.baseUrl, '/launch', { host: TEST_DOMAIN });
    assert.equal(new URL(none.location as string).searchParams.get('cid'), null);
    assertValidation(await t.api('PATCH', '/api/v1/conversions/settings', { body: { click_id_param: 'bad name', attribution_window_days: 0, allowed_origins: ['https://x.example/path'] } }), [
      'allowed_origins.0',
      'attribution_window_days',
      'click_id_param',
    ]);
  });
});
