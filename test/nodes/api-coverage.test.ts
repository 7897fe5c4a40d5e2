import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import { Mask } from '../../nodes/Mask/Mask.node.js';
import { EVENT_TYPES } from '../../engine/domain/outbox';
import { MaskTrigger } from '../../nodes/MaskTrigger/MaskTrigger.node.js';
import { matchesFilters } from '../../nodes/MaskTrigger/filters';
import { searchRules } from '../../nodes/Mask/v1/methods/listSearch';
import { getLinks } from '../../nodes/Mask/v1/methods/loadOptions';
import { jsonOf, type N8nDouble, type Parameters } from './support/n8n-double';
import { startNodeTestEngine, type NodeTestEngine } from './support/engine';

const byId = (id: unknown) => ({ __rl: true, mode: 'id', value: String(id) });

describe('MASK node: rules, campaigns, folders, conversions, imports, bulk links and the operations added to older resources', () => {
	let engine: NodeTestEngine;
	let last: N8nDouble;
	const run = async (parameters: Parameters, options: { items?: INodeExecutionData[]; continueOnFail?: boolean; timezone?: string } = {}) => {
		last = engine.double(new Mask(), { parameters, ...options });
		return await last.run();
	};
	const one = async (parameters: Parameters) => jsonOf(await run(parameters))[0];
	const query = () => new URL(last.calls[last.calls.length - 1].url).searchParams;
	const newLink = async (slug: string, extra: IDataObject = {}) =>
		(await engine.api('POST', '/api/v1/links', { body: { url: `https://example.com/${slug}`, slug, ...extra } })).body as IDataObject;

	before(async () => {
		engine = await startNodeTestEngine();
	});
	after(() => engine.stop());

	test('links: variants, preview, campaign and folder fields; Simplify keeps the main fields', async () => {
		const campaign = await one({ resource: 'campaign', operation: 'create', name: 'Spring' });
		const folder = await one({ resource: 'folder', operation: 'create', name: 'Newsletters' });
		const created = await one({
			resource: 'link',
			operation: 'create',
			url: 'https://example.com/a',
			additionalFields: {
				slug: 'split-me',
				externalId: 'product-1',
				campaign: byId(campaign.id),
				folder: byId(folder.id),
				variants: { variant: [{ url: 'https://example.com/a', weight: 70 }, { url: 'https://example.com/b', weight: 30 }] },
				preview: { values: { title: 'Spring sale', description: 'Half price' } },
			},
		});
		assert.equal(created.campaign_id, campaign.id);
		assert.equal(created.folder_id, folder.id);
		assert.deepEqual((created.variants as IDataObject[]).map((variant) => variant.weight), [70, 30]);
		assert.equal((created.preview as IDataObject).title, 'Spring sale');

		const simple = await one({ resource: 'link', operation: 'get', link: byId(created.id), simplify: true });
		assert.deepEqual(Object.keys(simple).sort(), ['campaign_id', 'clicks', 'created_at', 'domain', 'external_id', 'folder_id', 'id', 'short_url', 'slug', 'tags', 'title', 'url']);
		const full = await one({ resource: 'link', operation: 'get', link: byId(created.id) });
		assert.ok('variants' in full && 'preview' in full);

		const inCampaign = jsonOf(await run({ resource: 'link', operation: 'getMany', returnAll: true, filters: { campaign: byId(campaign.id), folder: byId(folder.id) } }));
		assert.equal(query().get('campaign_id'), campaign.id);
		assert.equal(query().get('folder_id'), folder.id);
		assert.deepEqual(inCampaign.map((link) => link.id), [created.id]);

		const cleared = await one({ resource: 'link', operation: 'update', link: byId(created.id), updateFields: { campaign: byId(''), variants: {} } });
		assert.equal(cleared.campaign_id, null);
		assert.equal(cleared.variants, null);
	});

	test('links: upsert by external ID, update and delete many, move to folder, export as a file', async () => {
		const first = await one({ resource: 'link', operation: 'upsert', url: 'https://example.com/v1', additionalFields: { externalId: 'sku-9', slug: 'sku-nine' } });
		const second = await one({ resource: 'link', operation: 'upsert', url: 'https://example.com/v2', additionalFields: { externalId: 'sku-9' } });
		assert.equal(second.id, first.id);
		assert.equal(second.url, 'https://example.com/v2');

		const other = await newLink('bulk-two');
		const updated = await one({ resource: 'link', operation: 'updateMany', linkIds: `${first.id}, ${other.id}`, updateFields: { title: 'Bulk title' } });
		assert.deepEqual((updated.data as IDataObject[]).map((link) => link.title), ['Bulk title', 'Bulk title']);

		const folder = await one({ resource: 'folder', operation: 'create', name: 'Moved' });
		const moved = await one({ resource: 'link', operation: 'moveToFolder', linkIds: [first.id, other.id], folder: byId(folder.id) });
		assert.deepEqual(moved.moved, [first.id, other.id]);
		assert.equal((await engine.api('GET', `/api/v1/links/${other.id}`)).body.folder_id, folder.id);

		const [file] = (await run({ resource: 'link', operation: 'export', format: 'csv', binaryPropertyName: 'links' }))[0];
		assert.match(String(file.binary?.links.mimeType), /csv/);
		assert.match(Buffer.from(String(file.binary?.links.data), 'base64').toString('utf8'), /sku-nine/);

		const deleted = await one({ resource: 'link', operation: 'deleteMany', linkIds: `${first.id},${other.id}` });
		assert.equal((deleted.errors as unknown[]).length, 0);
		assert.equal((await engine.api('GET', `/api/v1/links/${other.id}`)).status, 404);
	});

	test('routing rules: create, list (one item per rule), get, update, reorder, delete; the rule picker lists them', async () => {
		const link = await newLink('routed');
		const germany = await one({
			resource: 'rule',
			operation: 'create',
			link: byId(link.id),
			conditions: { condition: [{ type: 'country', values: 'DE, AT' }, { type: 'device', devices: ['mobile'] }] },
			url: 'https://example.com/de',
		});
		assert.deepEqual(germany.conditions, [
			{ type: 'country', values: ['DE', 'AT'] },
			{ type: 'device', values: ['mobile'] },
		]);
		const bots = await one({
			resource: 'rule',
			operation: 'create',
			link: byId(link.id),
			conditions: { condition: [{ type: 'bot', isBot: true }] },
			url: 'https://example.com/bots',
			additionalFields: { position: 0 },
		});
		const listed = jsonOf(await run({ resource: 'rule', operation: 'getMany', link: byId(link.id) }));
		assert.deepEqual(listed.map((rule) => rule.id), [bots.id, germany.id]);

		const picker = await searchRules.call(engine.double(new Mask(), { parameters: { resource: 'rule', operation: 'get', link: byId(link.id) } }).loadOptions());
		assert.deepEqual(picker.results.map((entry) => entry.value), [bots.id, germany.id]);
		assert.match(String(picker.results[1].name), /country DE\/AT/);

		assert.equal((await one({ resource: 'rule', operation: 'get', link: byId(link.id), rule: byId(germany.id) })).url, 'https://example.com/de');
		const changed = await one({
			resource: 'rule',
			operation: 'update',
			link: byId(link.id),
			rule: byId(germany.id),
			updateFields: { conditions: { condition: [{ type: 'time', start: '09:00', end: '17:00', days: ['mon', 'fri'], timezone: 'Europe/Berlin' }] } },
		});
		assert.deepEqual(changed.conditions, [{ type: 'time', start: '09:00', end: '17:00', days: ['mon', 'fri'], timezone: 'Europe/Berlin' }]);

		const reordered = await one({ resource: 'rule', operation: 'reorder', link: byId(link.id), ruleIds: `${germany.id}, ${bots.id}` });
		assert.deepEqual((reordered.data as IDataObject[]).map((rule) => rule.id), [germany.id, bots.id]);
		await one({ resource: 'rule', operation: 'delete', link: byId(link.id), rule: byId(bots.id) });
		assert.deepEqual(jsonOf(await run({ resource: 'rule', operation: 'getMany', link: byId(link.id) })).map((rule) => rule.id), [germany.id]);
	});

	test('campaigns: create, get, list, update, delete', async () => {
		const campaign = await one({
			resource: 'campaign',
			operation: 'create',
			name: 'Summer',
			additionalFields: { utmSource: 'newsletter', startsAt: '2030-06-01T00:00:00', description: 'Beach' },
		});
		assert.match(String(campaign.id), /^camp_/);
		assert.equal(campaign.utm_source, 'newsletter');
		assert.equal(new Date(String(campaign.starts_at)).toISOString(), '2030-06-01T00:00:00.000Z');
		assert.equal((await one({ resource: 'campaign', operation: 'get', campaign: byId(campaign.id) })).name, 'Summer');
		assert.ok(jsonOf(await run({ resource: 'campaign', operation: 'getMany', returnAll: true })).some((entry) => entry.id === campaign.id));
		const renamed = await one({ resource: 'campaign', operation: 'update', campaign: byId(campaign.id), updateFields: { name: 'Summer 2030', description: '' } });
		assert.equal(renamed.name, 'Summer 2030');
		assert.equal(renamed.description, null);
		await one({ resource: 'campaign', operation: 'delete', campaign: byId(campaign.id) });
		assert.equal((await engine.api('GET', `/api/v1/campaigns/${campaign.id}`)).status, 404);
	});

	test('folders: create nested, get, list by parent, update, delete with its links moved out', async () => {
		const top = await one({ resource: 'folder', operation: 'create', name: 'Top' });
		const child = await one({ resource: 'folder', operation: 'create', name: 'Child', additionalFields: { parent: byId(top.id) } });
		assert.equal(child.parent_id, top.id);
		assert.equal((await one({ resource: 'folder', operation: 'get', folder: byId(child.id) })).name, 'Child');
		const children = jsonOf(await run({ resource: 'folder', operation: 'getMany', returnAll: true, filters: { parent: byId(top.id) } }));
		assert.equal(query().get('parent_id'), top.id);
		assert.deepEqual(children.map((folder) => folder.id), [child.id]);
		assert.equal((await one({ resource: 'folder', operation: 'update', folder: byId(child.id), updateFields: { name: 'Renamed' } })).name, 'Renamed');

		const link = await newLink('in-folder', { folder_id: child.id });
		await one({ resource: 'folder', operation: 'delete', folder: byId(child.id), options: { moveLinks: true } });
		assert.equal(query().get('move_links'), 'true');
		assert.equal((await engine.api('GET', `/api/v1/links/${link.id}`)).body.folder_id, null);
	});

	test('conversions: track a lead and a sale, get one, analytics per campaign, export as a file', async () => {
		const campaign = (await engine.api('POST', '/api/v1/campaigns', { body: { name: 'Conversions' } })).body as IDataObject;
		const lead = await one({ resource: 'conversion', operation: 'trackLead', customerId: 'cust-1', eventName: 'Sign up', additionalFields: { metadata: '{"plan":"pro"}' } });
		const leadConversion = lead.conversion as IDataObject;
		assert.equal(leadConversion.type, 'lead');
		assert.deepEqual(leadConversion.metadata, { plan: 'pro' });
		const sale = await one({ resource: 'conversion', operation: 'trackSale', customerId: 'cust-1', eventName: 'Purchase', amount: 4999, currency: 'eur', idempotencyKey: 'order-1' });
		assert.equal((sale.conversion as IDataObject).currency, 'EUR');
		assert.equal((await one({ resource: 'conversion', operation: 'get', conversionId: leadConversion.id })).id, leadConversion.id);

		const rows = jsonOf(await run({ resource: 'conversion', operation: 'getAnalytics', groupBy: 'timeseries', interval: 'day', scope: 'all', campaign: byId(campaign.id) }));
		assert.equal(query().get('campaign_id'), campaign.id);
		assert.equal(query().get('group_by'), 'timeseries');
		assert.ok(rows.length >= 1);
		jsonOf(await run({ resource: 'conversion', operation: 'getAnalytics', groupBy: 'campaign', top: 3, scope: 'all' }));
		assert.equal(query().get('limit'), '3');

		const [file] = (await run({ resource: 'conversion', operation: 'export', scope: 'all', format: 'ndjson' }))[0];
		assert.equal(query().get('format'), 'ndjson');
		assert.match(Buffer.from(String(file.binary?.data.data), 'base64').toString('utf8'), /order-1/);
	});

	test('imports: start from a binary file, get its status, list imports', async () => {
		const csv = 'url,slug\nhttps://example.com/imported,imported-one\n';
		const items = [{ json: {}, binary: { data: { data: Buffer.from(csv).toString('base64'), mimeType: 'text/csv', fileName: 'links.csv' } } }];
		const started = jsonOf(await run({ resource: 'import', operation: 'start', source: 'csv', binaryPropertyName: 'data', options: { onConflict: 'suffix' } }, { items }))[0];
		assert.match(String(started.id), /^imp_/);
		assert.equal(query().get('on_conflict'), 'suffix');
		let status = started;
		for (let attempt = 0; attempt < 100 && !['completed', 'failed'].includes(String(status.status)); attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			status = await one({ resource: 'import', operation: 'get', import: byId(started.id) });
		}
		assert.equal(status.status, 'completed');
		assert.ok(jsonOf(await run({ resource: 'import', operation: 'getMany', returnAll: true })).some((entry) => entry.id === started.id));
		const links = (await engine.api('GET', '/api/v1/links?search=imported-one')).body.data as IDataObject[];
		assert.equal(links.length, 1);
	});

	test('domains get and update, members get and update, get-many filters', async () => {
		const domain = await one({ resource: 'domain', operation: 'create', hostname: 'go.coverage.test' });
		assert.equal((await one({ resource: 'domain', operation: 'get', domain: byId(domain.id) })).hostname, 'go.coverage.test');
		const updated = await one({ resource: 'domain', operation: 'update', domain: byId(domain.id), updateFields: { isDefault: true, secure: false } });
		assert.equal(updated.is_default, true);
		assert.equal(updated.secure, false);
		await one({ resource: 'domain', operation: 'update', domain: byId(domain.id), updateFields: { isDefault: false } });

		const member = await one({ resource: 'member', operation: 'create', email: 'grace@example.com', name: 'Grace', role: 'viewer' });
		assert.equal((await one({ resource: 'member', operation: 'get', member: byId(member.id) })).role, 'viewer');
		const promoted = await one({ resource: 'member', operation: 'update', member: byId(member.id), updateFields: { role: 'admin', name: 'Grace H.' } });
		assert.equal(promoted.role, 'admin');
		assert.equal(promoted.name, 'Grace H.');
		const admins = jsonOf(await run({ resource: 'member', operation: 'getMany', returnAll: true, filters: { role: 'admin', email: 'grace@example.com' } }));
		assert.equal(query().get('role'), 'admin');
		assert.deepEqual(admins.map((entry) => entry.id), [member.id]);
	});

	test('bio pages: theme, a link picked from the list, filters, Simplify and the QR code', async () => {
		const link = await newLink('page-target');
		const options = await getLinks.call(engine.double(new Mask(), { parameters: {} }).loadOptions());
		assert.ok(options.some((option) => option.value === link.id));
		const page = await one({
			resource: 'page',
			operation: 'create',
			handle: 'coverage',
			additionalFields: { title: 'Coverage', theme: 'ocean' },
			items: { item: [{ label: 'Shop', target: 'link', linkId: link.id }] },
			simplify: true,
		});
		assert.equal(page.theme, 'ocean');
		assert.equal(page.item_count, 1);
		assert.ok(!('items' in page));
		await one({ resource: 'page', operation: 'publish', page: byId(page.id) });
		const published = jsonOf(await run({ resource: 'page', operation: 'getMany', returnAll: true, filters: { published: 'true' } }));
		assert.equal(query().get('published'), 'true');
		assert.ok(published.some((entry) => entry.id === page.id));
		const unpublished = jsonOf(await run({ resource: 'page', operation: 'getMany', returnAll: true, filters: { published: 'false' } }));
		assert.ok(!unpublished.some((entry) => entry.id === page.id));

		const [qr] = (await run({ resource: 'page', operation: 'getQrCode', page: byId(page.id), format: 'svg' }))[0];
		assert.match(String(qr.binary?.data.mimeType), /svg/);
		assert.equal(qr.json.page_id, page.id);
	});

	test('webhooks: a test message of a chosen event type, and the enabled filter', async () => {
		const endpoint = await one({ resource: 'webhook', operation: 'create', url: 'http://127.0.0.1:9/hook', events: ['*'] });
		const sent = await one({ resource: 'webhook', operation: 'sendTest', webhook: byId(endpoint.id), options: { type: 'sale.recorded' } });
		assert.match(JSON.stringify(sent), /sale\.recorded/);
		const revealed = await one({ resource: 'webhook', operation: 'revealSecret', webhook: byId(endpoint.id) });
		assert.equal(revealed.secret, endpoint.secret);
		const [delivery] = jsonOf(await run({ resource: 'webhook', operation: 'getDeliveries', webhook: byId(endpoint.id), returnAll: true }));
		const detail = await one({ resource: 'webhook', operation: 'getDelivery', webhook: byId(endpoint.id), deliveryId: delivery.id });
		assert.equal(detail.id, delivery.id);
		assert.match(JSON.stringify(detail), /sale\.recorded/);
		await one({ resource: 'webhook', operation: 'update', webhook: byId(endpoint.id), updateFields: { enabled: false } });
		const disabled = jsonOf(await run({ resource: 'webhook', operation: 'getMany', returnAll: true, filters: { enabled: 'false' } }));
		assert.equal(query().get('enabled'), 'false');
		assert.deepEqual(disabled.map((entry) => entry.id), [endpoint.id]);
	});

	test('UTM templates and pixels: create, get, list, update, delete', async () => {
		const template = await one({ resource: 'utmTemplate', operation: 'create', name: 'Newsletter', additionalFields: { utmSource: 'mail' } });
		assert.equal(template.utm_source, 'mail');
		assert.equal((await one({ resource: 'utmTemplate', operation: 'get', utmTemplate: byId(template.id) })).name, 'Newsletter');
		assert.ok(jsonOf(await run({ resource: 'utmTemplate', operation: 'getMany', returnAll: true })).some((entry) => entry.id === template.id));
		const changed = await one({ resource: 'utmTemplate', operation: 'update', utmTemplate: byId(template.id), updateFields: { utmSource: '', utmMedium: 'email' } });
		assert.equal(changed.utm_source, null);
		assert.equal(changed.utm_medium, 'email');
		await one({ resource: 'utmTemplate', operation: 'delete', utmTemplate: byId(template.id) });
		assert.equal((await engine.api('GET', `/api/v1/utm-templates/${template.id}`)).status, 404);

		const pixel = await one({ resource: 'pixel', operation: 'create', name: 'Ads', provider: 'meta', additionalFields: { pixelId: '1234567890' } });
		assert.equal(pixel.provider, 'meta');
		assert.equal((await one({ resource: 'pixel', operation: 'get', pixel: byId(pixel.id) })).pixel_id, '1234567890');
		assert.ok(jsonOf(await run({ resource: 'pixel', operation: 'getMany', returnAll: true })).some((entry) => entry.id === pixel.id));
		assert.equal((await one({ resource: 'pixel', operation: 'update', pixel: byId(pixel.id), updateFields: { name: 'Meta ads' } })).name, 'Meta ads');
		await one({ resource: 'pixel', operation: 'delete', pixel: byId(pixel.id) });
		assert.equal((await engine.api('GET', `/api/v1/pixels/${pixel.id}`)).status, 404);
	});

	test('API keys: create with scopes and an IP allow-list, list, update, rotate, revoke', async () => {
		const key = await one({ resource: 'apiKey', operation: 'create', name: 'CRM', scopes: ['links:read'], additionalFields: { allowedIps: '203.0.113.7, 10.0.0.0/8', rateLimit: 30 } });
		// The secret itself (the prefix field alone also starts with mk_).
		assert.match(String(key.key), /^mk_/);
		const id = String(key.id);
		assert.deepEqual(key.allowed_ips, ['203.0.113.7', '10.0.0.0/8']);
		assert.equal(key.rate_limit, 30);
		assert.ok(jsonOf(await run({ resource: 'apiKey', operation: 'getMany', returnAll: true })).some((entry) => entry.id === id));
		const updated = await one({ resource: 'apiKey', operation: 'update', apiKey: byId(id), updateFields: { allowedIps: '', scopes: ['links:read', 'analytics:read'] } });
		assert.equal(updated.allowed_ips, null);
		assert.deepEqual(updated.scopes, ['links:read', 'analytics:read']);
		const rotated = await one({ resource: 'apiKey', operation: 'rotate', apiKey: byId(id) });
		assert.match(String(rotated.key), /^mk_/);
		assert.notEqual(rotated.key, key.key);
		await one({ resource: 'apiKey', operation: 'revoke', apiKey: byId(id) });
		const listed = jsonOf(await run({ resource: 'apiKey', operation: 'getMany', returnAll: true, filters: { includeRevoked: true } }));
		assert.ok(listed.find((entry) => entry.id === id)?.revoked_at);
	});

	test('domains: deep-link files set from JSON, read back and removed', async () => {
		const domain = await one({ resource: 'domain', operation: 'create', hostname: 'app.coverage.test' });
		const association = { applinks: { details: [{ appIDs: ['TEAM.com.example'], components: [{ '/': '/app/*' }] }] } };
		const set = await one({ resource: 'domain', operation: 'setDeepLinks', domain: byId(domain.id), files: { appleAppSiteAssociation: JSON.stringify(association), assetlinks: '[]' } });
		assert.deepEqual(set.apple_app_site_association, association);
		assert.deepEqual((await one({ resource: 'domain', operation: 'getDeepLinks', domain: byId(domain.id) })).apple_app_site_association, association);
		const removed = await one({ resource: 'domain', operation: 'setDeepLinks', domain: byId(domain.id), files: { appleAppSiteAssociation: '' } });
		assert.equal(removed.apple_app_site_association, null);
		await assert.rejects(run({ resource: 'domain', operation: 'setDeepLinks', domain: byId(domain.id), files: { assetlinks: '{"not": "an array"}' } }), /JSON array/);
	});

	test('links: a UTM template and pixels set from the node', async () => {
		const template = (await engine.api('POST', '/api/v1/utm-templates', { body: { name: 'T', utm_source: 'tpl' } })).body as IDataObject;
		const pixel = (await engine.api('POST', '/api/v1/pixels', { body: { name: 'P', provider: 'meta', pixel_id: '1234567890' } })).body as IDataObject;
		const link = await one({ resource: 'link', operation: 'create', url: 'https://example.com/tpl', additionalFields: { utmTemplate: byId(template.id), pixelIds: String(pixel.id) } });
		assert.equal(link.utm_source, 'tpl', 'the template filled the empty UTM values');
		assert.deepEqual(link.pixel_ids, [pixel.id]);
	});

	test('members: invite, list and revoke invitations, transfer ownership; workspace audit log and usage', async () => {
		const invitation = await one({ resource: 'member', operation: 'invite', email: 'lin@example.com', role: 'viewer' });
		const invitationId = String(invitation.id);
		assert.match(invitationId, /^inv_/);
		assert.equal(invitation.role, 'viewer');
		const pending = jsonOf(await run({ resource: 'member', operation: 'getInvitations' }));
		assert.ok(pending.some((entry) => entry.id === invitationId));
		await one({ resource: 'member', operation: 'revokeInvitation', invitationId });
		assert.ok(!jsonOf(await run({ resource: 'member', operation: 'getInvitations' })).some((entry) => entry.id === invitationId));

		const entries = jsonOf(await run({ resource: 'workspace', operation: 'getAuditLogs', returnAll: false, limit: 5, filters: { action: 'invitation.*' } }));
		assert.equal(query().get('action'), 'invitation.*');
		assert.ok(entries.length >= 1 && entries.every((entry) => String(entry.action).startsWith('invitation.')));
		// The period is a wall-clock time in the workflow's time zone, as everywhere else in the node.
		await run({ resource: 'workspace', operation: 'getAuditLogs', returnAll: false, limit: 1, filters: { start: '2026-01-01T00:00:00', end: '2026-07-01T12:00:00' } }, { timezone: 'Europe/Berlin' });
		assert.equal(query().get('start'), '2025-12-31T23:00:00.000Z');
		assert.equal(query().get('end'), '2026-07-01T10:00:00.000Z');
		const usage = await one({ resource: 'workspace', operation: 'getUsage', interval: 'day' });
		assert.ok('totals' in usage && 'endpoints' in usage);

		// Only an owner's session may transfer ownership; a key gets the engine's refusal, kept per item.
		const member = (await engine.api('POST', '/api/v1/members', { body: { name: 'Heir', email: 'heir@example.com', role: 'admin' } })).body as IDataObject;
		const [refused] = (await run({ resource: 'member', operation: 'transferOwnership', member: byId(member.id) }, { continueOnFail: true }))[0];
		assert.equal(refused.json.code, 'forbidden');
		assert.equal(last.calls[0].url.endsWith(`/members/${member.id}/transfer-ownership`), true);
	});

	test('conversions: settings read and changed, publishable key rotated', async () => {
		const before = await one({ resource: 'conversion', operation: 'getSettings' });
		assert.ok('click_id_param' in before);
		const changed = await one({ resource: 'conversion', operation: 'updateSettings', updateFields: { attributionWindowDays: 30, allowedOrigins: 'https://shop.example.com' } });
		assert.equal(changed.attribution_window_days, 30);
		assert.deepEqual(changed.allowed_origins, ['https://shop.example.com']);
		const rotated = await one({ resource: 'conversion', operation: 'rotatePublishableKey' });
		assert.match(String(rotated.publishable_key), /^mk_pub_/);
		assert.notEqual(rotated.publishable_key, before.publishable_key);
	});

	test('export jobs: start, wait for completion, download the file', async () => {
		await newLink('exported-by-job');
		const job = await one({ resource: 'export', operation: 'start', format: 'json' });
		let status = job;
		for (let attempt = 0; attempt < 100 && status.status !== 'completed' && status.status !== 'failed'; attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 100));
			status = await one({ resource: 'export', operation: 'get', exportId: job.id });
		}
		assert.equal(status.status, 'completed');
		const [file] = (await run({ resource: 'export', operation: 'download', exportId: job.id }))[0];
		assert.match(Buffer.from(String(file.binary?.data.data), 'base64').toString('utf8'), /exported-by-job/);
	});

	test('Continue On Fail: each failing item becomes an error item paired with its input, the others go on', async () => {
		const failing = (await run({ resource: 'campaign', operation: 'get', campaign: byId('camp_00000000000000000000000000') }, { items: [{ json: {} }, { json: {} }], continueOnFail: true }))[0];
		assert.deepEqual(failing.map((item) => item.pairedItem), [{ item: 0 }, { item: 1 }]);
		assert.equal(failing[0].json.httpCode, '404');
		assert.equal(failing[1].json.code, 'not_found');
	});
});

describe('MASK Trigger: filters by link, page and campaign', () => {
	const event = (type: string, data: IDataObject) => ({ id: 'msg_1', type, timestamp: '2026-01-01T00:00:00Z', workspace_id: 'ws_1', data });
	test('only events about the chosen link, page or campaign start the workflow', async () => {
		assert.ok(matchesFilters(event('click.recorded', { link_id: 'lnk_a' }), { link: 'lnk_a' }));
		assert.ok(!matchesFilters(event('click.recorded', { link_id: 'lnk_b' }), { link: 'lnk_a' }));
		assert.ok(matchesFilters(event('link.updated', { id: 'lnk_a' }), { link: 'lnk_a' }));
		assert.ok(matchesFilters(event('page.published', { id: 'pg_a' }), { page: 'pg_a' }));
		assert.ok(!matchesFilters(event('link.created', { id: 'lnk_a' }), { page: 'pg_a' }));
		assert.ok(matchesFilters(event('sale.recorded', { link_id: 'lnk_a', campaign_id: 'camp_a' }), { campaign: 'camp_a', link: 'lnk_a' }));
		assert.ok(!matchesFilters(event('lead.recorded', { link_id: null, campaign_id: null }), { campaign: 'camp_a' }));
		assert.ok(matchesFilters(event('subscription.updated', {}), {}));
	});

	test('a signed event about another link is acknowledged but starts nothing', async () => {
		const engine = await startNodeTestEngine();
		try {
			const secret = `whsec_${randomBytes(32).toString('base64')}`;
			const deliver = async (data: IDataObject) => {
				const body = JSON.stringify(event('click.recorded', data));
				const at = new Date();
				const headers = { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_1', at, body) };
				const double = engine.double(new MaskTrigger(), { parameters: { events: ['click.recorded'], filters: { link: byId('lnk_a') } }, staticData: { webhookId: 'wh_1', webhookSecret: secret } });
				const { context } = double.webhook({ headers, rawBody: Buffer.from(body) });
				return await new MaskTrigger().webhook.call(context);
			};
			assert.equal((await deliver({ link_id: 'lnk_a' })).workflowData?.[0].length, 1);
			const skipped = await deliver({ link_id: 'lnk_b' });
			assert.equal(skipped.workflowData, undefined);
			assert.deepEqual(skipped.webhookResponse, { received: true, started: false });
		} finally {
			await engine.stop();
		}
	});

	test('the trigger offers every event type the engine emits', async () => {
		const offered = (new MaskTrigger().description.properties.find((property) => property.name === 'events')?.options ?? []).map((option) => (option as { value: string }).value);
		assert.deepEqual([...EVENT_TYPES].sort(), offered.filter((value) => value !== '*').sort());
	});
});
