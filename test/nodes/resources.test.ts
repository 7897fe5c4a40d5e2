import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Mask } from '../../nodes/Mask/Mask.node.js';
import { searchPages, searchWebhooks } from '../../nodes/Mask/v1/methods/listSearch';
import { jsonOf, type N8nDouble, type Parameters } from './support/n8n-double';
import { startNodeTestEngine, type NodeTestEngine } from './support/engine';

const byId = (id: unknown) => ({ __rl: true, mode: 'id', value: String(id) });

describe('MASK node: analytics, QR codes, bio pages, webhooks, domains, members, workspace', () => {
	let engine: NodeTestEngine;
	let last: N8nDouble;
	const run = async (parameters: Parameters) => {
		last = engine.double(new Mask(), { parameters });
		return await last.run();
	};
	const one = async (parameters: Parameters) => jsonOf(await run(parameters))[0];
	const query = () => new URL(last.calls[last.calls.length - 1].url).searchParams;
	let linkId: string;

	before(async () => {
		engine = await startNodeTestEngine();
		if (engine.routes.has('POST /links')) {
			const created = await engine.api('POST', '/api/v1/links', { body: { url: 'https://example.com/resources', slug: 'resources' } });
			linkId = created.body.id;
		}
	});
	after(() => engine.stop());

	test('analytics time series: one item per bucket, in the workflow time zone by default', async () => {
		engine.requireRoutes('POST /links', 'GET /analytics');
		const rows = jsonOf(
			await run({ resource: 'analytics', operation: 'getTimeSeries', scope: 'link', link: byId(linkId), interval: 'day', filters: { start: '2030-01-01T00:00:00', end: '2030-01-03T00:00:00' } }),
		);
		const qs = query();
		assert.equal(qs.get('group_by'), 'timeseries');
		assert.equal(qs.get('interval'), 'day');
		assert.equal(qs.get('link_id'), linkId);
		assert.equal(qs.get('timezone'), 'UTC');
		assert.equal(qs.get('start'), '2030-01-01T00:00:00.000Z');
		assert.ok(rows.length >= 2);
		for (const row of rows) {
			assert.match(String(row.start), /Z$/);
			assert.equal(typeof row.clicks, 'number');
			assert.equal(typeof row.unique_visitors, 'number');
			assert.equal(row.group_by, 'timeseries');
		}
		const [whole] = jsonOf(await run({ resource: 'analytics', operation: 'getTimeSeries', scope: 'all', interval: 'week', splitIntoItems: false }));
		assert.equal(whole.group_by, 'timeseries');
		assert.equal(whole.interval, 'week');
		assert.equal(typeof (whole.totals as IDataObject).clicks, 'number');
		assert.ok(Array.isArray(whole.data));
	});

	test('analytics breakdown: grouped counts, top-N and filters are sent', async () => {
		engine.requireRoutes('GET /analytics');
		const rows = jsonOf(await run({ resource: 'analytics', operation: 'getBreakdown', groupBy: 'country', top: 5, filters: { tag: 'spring', domain: 'go.mask.test', includeBots: true, timezone: 'Europe/Paris' } }));
		const qs = query();
		assert.equal(qs.get('group_by'), 'country');
		assert.equal(qs.get('limit'), '5');
		assert.equal(qs.get('tag'), 'spring');
		assert.equal(qs.get('include_bots'), 'true');
		assert.equal(qs.get('timezone'), 'Europe/Paris');
		for (const row of rows) assert.ok('value' in row && typeof row.clicks === 'number');
	});

	test('analytics export is a binary file', async () => {
		engine.requireRoutes('GET /analytics/export');
		const [item] = (await run({ resource: 'analytics', operation: 'exportClicks', scope: 'all', format: 'csv' }))[0];
		assert.equal(query().get('format'), 'csv');
		assert.ok(item.binary?.data);
		assert.match(String(item.binary.data.mimeType), /csv/);
	});

	test('QR code as PNG or SVG binary data, with the options passed through', async () => {
		engine.requireRoutes('POST /links', 'GET /links/:id/qr');
		const [png] = (await run({ resource: 'qrCode', operation: 'get', link: byId(linkId), format: 'png', options: { size: 256, margin: 0, errorCorrection: 'H' } }))[0];
		assert.equal(query().get('size'), '256');
		assert.equal(query().get('margin'), '0');
		assert.equal(query().get('error_correction'), 'H');
		assert.equal(png.binary?.data.mimeType, 'image/png');
		assert.deepEqual([...Buffer.from(png.binary!.data.data, 'base64').subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
		assert.equal(png.json.link_id, linkId);

		const [svg] = (await run({ resource: 'qrCode', operation: 'get', link: byId(linkId), format: 'svg', binaryPropertyName: 'qr' }))[0];
		assert.equal(svg.binary?.qr.mimeType, 'image/svg+xml');
		assert.match(Buffer.from(svg.binary!.qr.data, 'base64').toString('utf8'), /<svg/);
	});

	test('bio pages: create with items, get, list, update, publish, unpublish, delete', async () => {
		engine.requireRoutes('POST /links', 'POST /pages', 'GET /pages', 'GET /pages/:id', 'PATCH /pages/:id', 'POST /pages/:id/publish', 'POST /pages/:id/unpublish', 'DELETE /pages/:id');
		const page = await one({
			resource: 'page',
			operation: 'create',
			handle: 'acme-team',
			items: { item: [{ label: 'Our sale', target: 'link', linkId }, { label: 'Docs', target: 'url', url: 'https://example.com/docs' }] },
			additionalFields: { title: 'ACME', description: 'All our links' },
		});
		assert.match(String(page.id), /^pg_/);
		assert.equal(page.handle, 'acme-team');
		assert.equal(page.published, false);
		assert.deepEqual(
			(page.items as IDataObject[]).map((item) => item.label),
			['Our sale', 'Docs'],
		);

		assert.equal((await one({ resource: 'page', operation: 'get', page: byId(page.id) })).title, 'ACME');
		const listed = jsonOf(await run({ resource: 'page', operation: 'getMany', returnAll: true }));
		assert.ok(listed.some((entry) => entry.id === page.id));
		const found = await searchPages.call(engine.double(new Mask(), { parameters: {} }).loadOptions(), 'acme', undefined);
		assert.equal(found.results[0].value, page.id);

		const updated = await one({ resource: 'page', operation: 'update', page: byId(page.id), updateFields: { title: 'ACME Inc.' }, items: { item: [{ label: 'Only docs', target: 'url', url: 'https://example.com/docs' }] } });
		assert.equal(updated.title, 'ACME Inc.');
		assert.equal((updated.items as IDataObject[]).length, 1);

		const published = await one({ resource: 'page', operation: 'publish', page: byId(page.id) });
		assert.equal(published.published, true);
		assert.ok(published.published_at);
		assert.equal((await one({ resource: 'page', operation: 'unpublish', page: byId(page.id) })).published, false);
		assert.equal((await one({ resource: 'page', operation: 'delete', page: byId(page.id) })).deleted, true);
		await assert.rejects(run({ resource: 'page', operation: 'get', page: byId(page.id) }), (error: unknown) => error instanceof NodeApiError && error.context.code === 'not_found');
	});

	test('webhook endpoints: create, get, list, update, test, deliveries, replay, rotate secret, delete', async () => {
		engine.requireRoutes('POST /webhooks', 'GET /webhooks', 'GET /webhooks/:id', 'PATCH /webhooks/:id', 'POST /webhooks/:id/test', 'GET /webhooks/:id/deliveries', 'POST /webhooks/:id/deliveries/:id/replay', 'POST /webhooks/:id/rotate-secret', 'DELETE /webhooks/:id');
		const endpoint = await one({ resource: 'webhook', operation: 'create', url: 'http://127.0.0.1:9/hooks', events: ['link.created', '*'], additionalFields: { description: 'CRM sync' } });
		assert.match(String(endpoint.id), /^wh_/);
		assert.match(String(endpoint.secret), /^whsec_/);
		assert.deepEqual(endpoint.events, ['*'], 'all events already include the others');

		const fetched = await one({ resource: 'webhook', operation: 'get', webhook: byId(endpoint.id) });
		assert.equal(fetched.secret, undefined, 'the secret is shown only once');
		assert.ok(jsonOf(await run({ resource: 'webhook', operation: 'getMany', returnAll: true })).some((entry) => entry.id === endpoint.id));
		const found = await searchWebhooks.call(engine.double(new Mask(), { parameters: {} }).loadOptions(), 'crm', undefined);
		assert.equal(found.results[0].value, endpoint.id);

		const updated = await one({ resource: 'webhook', operation: 'update', webhook: byId(endpoint.id), updateFields: { events: ['click.recorded'], enabled: false } });
		assert.deepEqual(updated.events, ['click.recorded']);
		assert.equal(updated.enabled, false);

		await one({ resource: 'webhook', operation: 'update', webhook: byId(endpoint.id), updateFields: { enabled: true } });
		await one({ resource: 'webhook', operation: 'sendTest', webhook: byId(endpoint.id) });
		const deliveries = jsonOf(await run({ resource: 'webhook', operation: 'getDeliveries', webhook: byId(endpoint.id), returnAll: true }));
		assert.ok(deliveries.length >= 1);
		assert.match(String(deliveries[0].id), /^dlv_/);
		const replayed = await one({ resource: 'webhook', operation: 'replayDelivery', webhook: byId(endpoint.id), deliveryId: deliveries[0].id });
		assert.ok(replayed);

		const rotated = await one({ resource: 'webhook', operation: 'rotateSecret', webhook: byId(endpoint.id) });
		assert.match(String(rotated.secret), /^whsec_/);
		assert.notEqual(rotated.secret, endpoint.secret);
		assert.equal((await one({ resource: 'webhook', operation: 'delete', webhook: byId(endpoint.id) })).deleted, true);
	});

	test('domains: create, list, delete', async () => {
		engine.requireRoutes('POST /domains', 'GET /domains', 'DELETE /domains/:id');
		const domain = await one({ resource: 'domain', operation: 'create', hostname: 'links.example.org' });
		assert.match(String(domain.id), /^dom_/);
		assert.equal(domain.hostname, 'links.example.org');
		assert.ok(jsonOf(await run({ resource: 'domain', operation: 'getMany', returnAll: true })).some((entry) => entry.id === domain.id));
		await one({ resource: 'domain', operation: 'delete', domain: byId(domain.id) });
		assert.ok(!jsonOf(await run({ resource: 'domain', operation: 'getMany', returnAll: true })).some((entry) => entry.id === domain.id));
	});

	test('members: create, list, delete', async () => {
		engine.requireRoutes('POST /members', 'GET /members', 'DELETE /members/:id');
		const member = await one({ resource: 'member', operation: 'create', email: 'ada@example.com', name: 'Ada', role: 'member' });
		assert.equal(member.email, 'ada@example.com');
		assert.ok(jsonOf(await run({ resource: 'member', operation: 'getMany', returnAll: true })).some((entry) => entry.id === member.id));
		await one({ resource: 'member', operation: 'delete', member: byId(member.id) });
		assert.ok(!jsonOf(await run({ resource: 'member', operation: 'getMany', returnAll: true })).some((entry) => entry.id === member.id));
	});

	test('workspace: get and update', async () => {
		engine.requireRoutes('GET /workspace', 'PATCH /workspace');
		const workspace = await one({ resource: 'workspace', operation: 'get' });
		assert.equal(workspace.id, engine.workspace.id);
		assert.ok((workspace.plan as IDataObject).name);
		const renamed = await one({ resource: 'workspace', operation: 'update', updateFields: { name: 'Renamed from n8n' } });
		assert.equal(renamed.name, 'Renamed from n8n');
	});

	test('an update with nothing to change is refused before any request', async () => {
		await assert.rejects(run({ resource: 'workspace', operation: 'update', updateFields: {} }), /at least one field/);
		assert.equal(last.calls.length, 0);
	});
});
