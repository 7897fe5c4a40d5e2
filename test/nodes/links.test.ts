import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { IDataObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Mask } from '../../nodes/Mask/Mask.node.js';
import { searchLinks } from '../../nodes/Mask/v1/methods/listSearch';
import { jsonOf, type Parameters } from './support/n8n-double';
import { startNodeTestEngine, type NodeTestEngine } from './support/engine';

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

describe('MASK node: links', () => {
	let engine: NodeTestEngine;
	const run = (parameters: Parameters | ((itemIndex: number) => Parameters), extra: { items?: number; continueOnFail?: boolean; timezone?: string } = {}) => {
		const double = engine.double(new Mask(), {
			parameters,
			items: Array.from({ length: extra.items ?? 1 }, (_, i) => ({ json: { i } })),
			continueOnFail: extra.continueOnFail,
			timezone: extra.timezone,
		});
		return { double, output: double.run() };
	};
	const createLink = async (url: string, additionalFields: IDataObject = {}) =>
		jsonOf(await run({ resource: 'link', operation: 'create', url, additionalFields }).output)[0];

	before(async () => {
		engine = await startNodeTestEngine();
	});
	after(() => engine.stop());

	test('create sends every field under its API name and returns the link', async () => {
		engine.requireRoutes('POST /links');
		const link = await createLink('https://example.com/spring', {
			slug: 'spring-sale',
			title: 'Spring sale',
			tags: 'campaign-q1, social',
			utmSource: 'twitter',
			utmMedium: 'social',
			utmCampaign: 'spring',
			expiresAt: '2030-12-31T23:59:59',
			maxClicks: 500,
			notes: 'from n8n',
		});
		assert.match(String(link.id), /^lnk_/);
		assert.equal(link.slug, 'spring-sale');
		assert.deepEqual(link.tags, ['campaign-q1', 'social']);
		assert.equal(link.utm_source, 'twitter');
		assert.equal(link.utm_campaign, 'spring');
		assert.equal(link.max_clicks, 500);
		assert.equal(link.notes, 'from n8n');
		assert.equal(link.expires_at, '2030-12-31T23:59:59Z', 'a wall-clock date is read in the workflow time zone (UTC here)');
	});

	test('dates without a zone follow the workflow time zone', async () => {
		engine.requireRoutes('POST /links');
		const [link] = jsonOf(
			await run({ resource: 'link', operation: 'create', url: 'https://example.com/tz', additionalFields: { expiresAt: '2030-07-01T12:00:00' } }, { timezone: 'Europe/Berlin' })
				.output,
		);
		assert.equal(link.expires_at, '2030-07-01T10:00:00Z');
	});

	test('get, update and delete find the link by id, from the list, or by short URL', async () => {
		engine.requireRoutes('POST /links', 'GET /links/:id', 'PATCH /links/:id', 'DELETE /links/:id', 'GET /links');
		const link = await createLink('https://example.com/locate', { slug: 'locate-me' });

		const [byIdResult] = jsonOf(await run({ resource: 'link', operation: 'get', link: byId(String(link.id)) }).output);
		assert.equal(byIdResult.id, link.id);
		const [fromList] = jsonOf(await run({ resource: 'link', operation: 'get', link: { __rl: true, mode: 'list', value: link.id } }).output);
		assert.equal(fromList.id, link.id);
		const [byShortUrl] = jsonOf(await run({ resource: 'link', operation: 'get', link: { __rl: true, mode: 'url', value: link.short_url } }).output);
		assert.equal(byShortUrl.id, link.id);

		const [updated] = jsonOf(
			await run({ resource: 'link', operation: 'update', link: byId(String(link.id)), updateFields: { url: 'https://example.com/moved', tags: 'q2, email', title: '' } }).output,
		);
		assert.equal(updated.url, 'https://example.com/moved');
		assert.deepEqual(updated.tags, ['q2', 'email']);
		assert.equal(updated.title, null, 'an empty value clears the field');
		assert.equal(updated.slug, 'locate-me');

		const [deleted] = jsonOf(await run({ resource: 'link', operation: 'delete', link: byId(String(link.id)) }).output);
		assert.deepEqual(deleted, { deleted: true, id: link.id });
		await assert.rejects(run({ resource: 'link', operation: 'get', link: byId(String(link.id)) }).output, (error: unknown) => {
			assert.ok(error instanceof NodeApiError);
			assert.equal(error.httpCode, '404');
			assert.equal(error.context.code, 'not_found');
			return true;
		});
	});

	test('an unknown short URL is a clear error', async () => {
		engine.requireRoutes('GET /links');
		await assert.rejects(
			run({ resource: 'link', operation: 'get', link: { __rl: true, mode: 'url', value: 'http://go.mask.test/no-such-slug' } }).output,
			/No link has the short URL/,
		);
	});

	test('create many sends batches of 100, pairs each result with its item, and get many pages through them all', async () => {
		engine.requireRoutes('POST /links/bulk', 'GET /links');
		const count = 130;
		const { double, output } = run(
			(i) => ({ resource: 'link', operation: 'createMany', url: `https://example.com/bulk/${i}`, additionalFields: { tags: 'bulk', title: `Bulk ${i}` } }),
			{ items: count },
		);
		const created = (await output)[0];
		assert.equal(created.length, count);
		assert.deepEqual(created.map((item) => item.pairedItem), Array.from({ length: count }, (_, i) => ({ item: i })));
		assert.deepEqual(created.map((item) => item.json.url), Array.from({ length: count }, (_, i) => `https://example.com/bulk/${i}`));
		assert.deepEqual(double.calls.map((call) => `${call.method} ${new URL(call.url).pathname}`), ['POST /api/v1/links/bulk', 'POST /api/v1/links/bulk']);

		const all = run({ resource: 'link', operation: 'getMany', returnAll: true, filters: { tag: 'bulk' } });
		const listed = jsonOf(await all.output);
		assert.equal(listed.length, count);
		assert.equal(new Set(listed.map((link) => link.id)).size, count);
		assert.equal(all.double.calls.length, 2, 'two pages of at most 100');
		assert.ok(all.double.calls[1].url.includes('cursor='));

		const limited = run({ resource: 'link', operation: 'getMany', returnAll: false, limit: 7, filters: { tag: 'bulk' }, sort: { sortBy: 'created_at', order: 'asc' } });
		const first = jsonOf(await limited.output);
		assert.equal(first.length, 7);
		const times = first.map((link) => String(link.created_at));
		assert.deepEqual(times, [...times].sort(), 'oldest first');
		assert.ok(first.every((link) => String(link.url).startsWith('https://example.com/bulk/')));
		const query = new URL(limited.double.calls[0].url).searchParams;
		assert.deepEqual([query.get('limit'), query.get('sort'), query.get('order'), query.get('tag')], ['7', 'created_at', 'asc', 'bulk']);

		const [found] = jsonOf(await run({ resource: 'link', operation: 'getMany', returnAll: true, filters: { search: 'Bulk 129' } }).output);
		assert.equal(found.url, 'https://example.com/bulk/129');
	});

	test('create many reports per-item errors (Continue On Fail) and keeps the links that were created', async () => {
		engine.requireRoutes('POST /links/bulk');
		await createLink('https://example.com/taken', { slug: 'taken-slug' });
		const slugs = ['fresh-one', 'taken-slug', 'fresh-two'];
		const results = (await run((i) => ({ resource: 'link', operation: 'createMany', url: `https://example.com/m/${i}`, additionalFields: { slug: slugs[i] } }), { items: 3, continueOnFail: true }).output)[0];
		assert.equal(results[0].json.slug, 'fresh-one');
		assert.equal(results[1].json.code, 'conflict');
		assert.equal(typeof results[1].json.error, 'string');
		assert.deepEqual(results[1].pairedItem, { item: 1 });
		assert.equal(results[2].json.slug, 'fresh-two');
	});

	test('validation errors carry the engine’s code, message and field details; Continue On Fail keeps going', async () => {
		engine.requireRoutes('POST /links');
		await assert.rejects(run({ resource: 'link', operation: 'create', url: 'not a url' }).output, (error: unknown) => {
			assert.ok(error instanceof NodeApiError);
			assert.equal(error.httpCode, '422');
			assert.equal(error.context.code, 'validation_error');
			assert.ok((error.context.details as Array<{ field: string }>).some((detail) => detail.field === 'url'));
			assert.match(String(error.description), /url:/);
			return true;
		});
		const urls = ['https://example.com/ok-1', 'nope', 'https://example.com/ok-2'];
		const output = (await run((i) => ({ resource: 'link', operation: 'create', url: urls[i] }), { items: 3, continueOnFail: true }).output)[0];
		assert.equal(output.length, 3);
		assert.equal(output[0].json.url, urls[0]);
		assert.equal(output[1].json.code, 'validation_error');
		assert.equal(output[1].json.httpCode, '422');
		assert.deepEqual(output[1].pairedItem, { item: 1 });
		assert.equal(output[2].json.url, urls[2]);
	});

	test('a key without links:write gets the engine’s forbidden error', async () => {
		engine.requireRoutes('POST /links');
		const readOnly = await engine.createKey(['links:read']);
		const double = engine.double(new Mask(), { credentials: { ...engine.credentials, apiKey: readOnly }, parameters: { resource: 'link', operation: 'create', url: 'https://example.com' } });
		await assert.rejects(double.run(), (error: unknown) => error instanceof NodeApiError && error.httpCode === '403' && error.context.code === 'forbidden');
	});

	test('the link list search pages with the API cursor and filters on the server', async () => {
		engine.requireRoutes('POST /links', 'GET /links');
		await createLink('https://example.com/searchable', { title: 'Findable page' });
		const context = engine.double(new Mask(), { parameters: { resource: 'link', operation: 'get' } }).loadOptions();
		const found = await searchLinks.call(context, 'Findable', undefined);
		assert.equal(found.results.length, 1);
		assert.match(String(found.results[0].name), /Findable page/);
		assert.match(String(found.results[0].value), /^lnk_/);

		const firstPage = await searchLinks.call(context, undefined, undefined);
		assert.equal(firstPage.results.length, 50);
		assert.ok(firstPage.paginationToken, 'more than one page of links exists by now');
		const secondPage = await searchLinks.call(context, undefined, String(firstPage.paginationToken));
		assert.ok(secondPage.results.length > 0);
		assert.ok(!secondPage.results.some((item) => firstPage.results.some((other) => other.value === item.value)));
	});
});
