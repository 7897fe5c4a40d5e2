import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';
import { Webhook } from 'standardwebhooks';
import { MaskTrigger } from '../../nodes/MaskTrigger/MaskTrigger.node.js';
import type { N8nDouble } from './support/n8n-double';
import { startNodeTestEngine, type NodeTestEngine } from './support/engine';

const event = { id: 'msg_01', type: 'click.recorded', timestamp: '2026-03-13T10:00:00Z', workspace_id: 'ws_1', data: { link_id: 'lnk_1' } };

function sign(secret: string, body: string, at = new Date()) {
	return { 'webhook-id': 'msg_01', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(secret).sign('msg_01', at, body) };
}

async function deliver(double: N8nDouble, headers: Record<string, string>, body: string) {
	const { context, response } = double.webhook({ headers: { 'content-type': 'application/json', ...headers }, rawBody: Buffer.from(body) });
	const result: IWebhookResponseData = await new MaskTrigger().webhook.call(context);
	return { result, response };
}

describe('MASK Trigger', () => {
	let engine: NodeTestEngine;
	before(async () => {
		engine = await startNodeTestEngine();
	});
	after(() => engine.stop());

	describe('webhook handler', () => {
		const secret = `whsec_${randomBytes(32).toString('base64')}`;
		const body = JSON.stringify(event);
		const double = () => engine.double(new MaskTrigger(), { parameters: { events: ['click.recorded'] }, staticData: { webhookId: 'wh_1', webhookSecret: secret } });

		test('a valid delivery starts the workflow with the event', async () => {
			const { result, response } = await deliver(double(), sign(secret, body), body);
			assert.equal(response.status, undefined, 'n8n answers for the node');
			assert.deepEqual(result.workflowData, [[{ json: event }]]);
		});

		test('forged, stale and unsigned deliveries get 401 and start nothing', async () => {
			const forged = { ...sign(secret, body), 'webhook-signature': `v1,${randomBytes(32).toString('base64')}` };
			const otherSecret = sign(`whsec_${randomBytes(32).toString('base64')}`, body);
			const stale = sign(secret, body, new Date(Date.now() - 301_000));
			const tampered = sign(secret, body);
			for (const [name, headers, sent] of [
				['forged', forged, body],
				['signed with another secret', otherSecret, body],
				['stale', stale, body],
				['unsigned', {}, body],
				['body changed after signing', tampered, body.replace('lnk_1', 'lnk_2')],
			] as const) {
				const { result, response } = await deliver(double(), headers, sent);
				assert.equal(response.status, 401, name);
				assert.equal((response.body as { error: { code: string } }).error.code, 'invalid_signature');
				assert.equal(result.workflowData, undefined, name);
				assert.equal(result.noWebhookResponse, true);
			}
		});

		test('without a stored secret nothing is accepted', async () => {
			const unregistered = engine.double(new MaskTrigger(), { parameters: { events: ['*'] }, staticData: {} });
			const { result, response } = await deliver(unregistered, sign(secret, body), body);
			assert.equal(response.status, 401);
			assert.equal(result.workflowData, undefined);
		});
	});

	describe('registration on the engine', () => {
		const webhookUrl = 'http://127.0.0.1:5678/webhook/4b1c0f5e-mask/webhook';

		test('create registers an endpoint, checkExists finds it, delete removes it', async () => {
			engine.requireRoutes('GET /webhooks', 'POST /webhooks', 'GET /webhooks/:id', 'DELETE /webhooks/:id');
			const trigger = new MaskTrigger();
			const double = engine.double(trigger, { parameters: { events: ['click.recorded', 'link.created'] }, webhookUrl });
			const hooks = trigger.webhookMethods.default;

			assert.equal(await hooks.checkExists.call(double.hook()), false);
			assert.equal(await hooks.create.call(double.hook()), true);
			const { webhookId, webhookSecret } = double.staticData as { webhookId: string; webhookSecret: string };
			assert.match(webhookId, /^wh_/);
			assert.match(webhookSecret, /^whsec_/);
			const stored = await engine.api('GET', `/api/v1/webhooks/${webhookId}`);
			assert.equal(stored.status, 200);
			assert.equal(stored.body.url, webhookUrl);
			assert.deepEqual([...stored.body.events].sort(), ['click.recorded', 'link.created']);
			assert.equal(await hooks.checkExists.call(double.hook()), true);

			assert.equal(await hooks.delete.call(double.hook()), true);
			assert.equal((await engine.api('GET', `/api/v1/webhooks/${webhookId}`)).status, 404);
			assert.deepEqual(double.staticData, {});
			assert.equal(await hooks.delete.call(double.hook()), true, 'deleting twice is harmless');
		});

		test('a changed event list or a lost registration is replaced, leaving no stray endpoint', async () => {
			engine.requireRoutes('GET /webhooks', 'POST /webhooks', 'GET /webhooks/:id', 'DELETE /webhooks/:id');
			const trigger = new MaskTrigger();
			const hooks = trigger.webhookMethods.default;
			const first = engine.double(trigger, { parameters: { events: ['link.created'] }, webhookUrl });
			await hooks.create.call(first.hook());

			const changed = engine.double(trigger, { parameters: { events: ['link.deleted'] }, webhookUrl, staticData: first.staticData });
			assert.equal(await hooks.checkExists.call(changed.hook()), false);
			assert.deepEqual(changed.staticData, {});
			await hooks.create.call(changed.hook());

			const lost = engine.double(trigger, { parameters: { events: ['link.deleted'] }, webhookUrl, staticData: {} });
			assert.equal(await hooks.checkExists.call(lost.hook()), false);
			const list = await engine.api('GET', '/api/v1/webhooks?limit=100');
			assert.equal(list.body.data.filter((endpoint: IDataObject) => endpoint.url === webhookUrl).length, 0, 'unverifiable endpoints are removed');
		});

		test('a real delivery from the engine passes verification and starts the workflow', async (t) => {
			engine.requireRoutes('POST /webhooks', 'POST /links');
			const trigger = new MaskTrigger();
			const n8n: { double?: N8nDouble } = {};
			const received: IDataObject[] = [];
			let resolveReceived: () => void;
			const arrived = new Promise<void>((resolve) => (resolveReceived = resolve));
			// A stand-in for n8n's webhook server: it hands each request to the trigger's webhook() as n8n does.
			const server = http.createServer((req, res) => {
				const chunks: Buffer[] = [];
				req.on('data', (chunk: Buffer) => chunks.push(chunk));
				req.on('end', async () => {
					const { context, response } = n8n.double!.webhook({ headers: req.headers as Record<string, string>, rawBody: Buffer.concat(chunks) });
					const result = await trigger.webhook.call(context);
					res.statusCode = response.status ?? 200;
					res.end(JSON.stringify(response.body ?? { ok: true }));
					for (const item of result.workflowData?.[0] ?? []) received.push(item.json);
					if (received.length > 0) resolveReceived();
				});
			});
			await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
			t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
			const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
			n8n.double = engine.double(trigger, { parameters: { events: ['link.created'] }, webhookUrl: url });
			await trigger.webhookMethods.default.create.call(n8n.double.hook());

			const created = await engine.api('POST', '/api/v1/links', { body: { url: 'https://example.com/delivered' } });
			assert.equal(created.status, 201);
			const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no delivery within 15 s')), 15_000).unref());
			await Promise.race([arrived, timeout]);
			assert.equal(received[0].type, 'link.created');
			assert.match(String(received[0].id), /^msg_/);
			assert.equal((received[0].data as IDataObject).id ?? (received[0].data as { link?: IDataObject }).link?.id, created.body.id);
		});
	});
});
