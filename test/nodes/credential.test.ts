import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { NodeApiError } from 'n8n-workflow';
import { Mask } from '../../nodes/Mask/Mask.node.js';
import { credentialType, jsonOf, performRequest, resolveCredentialExpression, type Credentials } from './support/n8n-double';
import { startNodeTestEngine, type NodeTestEngine } from './support/engine';

describe('MaskApi credential', () => {
	let engine: NodeTestEngine;
	before(async () => {
		engine = await startNodeTestEngine();
	});
	after(() => engine.stop());

	/** Sends the credential's test request the way n8n's "Test connection" does. */
	async function testConnection(credentials: Credentials) {
		const request = credentialType.test!.request;
		const authorization = resolveCredentialExpression(String(credentialType.authenticate && 'properties' in credentialType.authenticate ? credentialType.authenticate.properties.headers?.Authorization : ''), credentials);
		return (await performRequest(
			{
				baseURL: resolveCredentialExpression(String(request.baseURL), credentials),
				url: String(request.url),
				method: request.method,
				headers: { Authorization: authorization },
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			},
			[],
		)) as { statusCode: number; body: { mode?: string; error?: { code: string } } };
	}

	test('the connection test calls /api/v1/me with the key as a Bearer token', async () => {
		const response = await testConnection(engine.credentials);
		assert.equal(response.statusCode, 200);
		assert.equal(response.body.mode, 'live');
	});

	test('trailing slashes and a pasted /api/v1 in the base URL are tolerated', async () => {
		for (const baseUrl of [`${engine.baseUrl}/`, `${engine.baseUrl}//`, `${engine.baseUrl}/api/v1`, ` ${engine.baseUrl}/api/v1/ `]) {
			const response = await testConnection({ ...engine.credentials, baseUrl });
			assert.equal(response.statusCode, 200, baseUrl);
		}
	});

	test('a wrong key fails the connection test with the engine’s unauthorized error', async () => {
		const response = await testConnection({ ...engine.credentials, apiKey: 'mk_live_not-a-real-key' });
		assert.equal(response.statusCode, 401);
		assert.equal(response.body.error?.code, 'unauthorized');
	});

	test('a key with no scopes still passes the test (any valid key may call /me)', async () => {
		const key = await engine.createKey([]);
		assert.equal((await testConnection({ ...engine.credentials, apiKey: key })).statusCode, 200);
	});

	test('the node authenticates every request with the credential (Workspace → Get Current Key)', async () => {
		const run = engine.double(new Mask(), { parameters: { resource: 'workspace', operation: 'getCurrentKey' } });
		const [me] = jsonOf(await run.run());
		assert.equal((me.workspace as { id: string }).id, engine.workspace.id);
		assert.deepEqual(me.scopes, ['admin']);
		assert.match(run.calls[0].url, /\/api\/v1\/me$/);
	});

	test('an invalid key surfaces as NodeApiError carrying the engine’s code and message', async () => {
		const run = engine.double(new Mask(), {
			credentials: { ...engine.credentials, apiKey: 'mk_live_wrong' },
			parameters: { resource: 'workspace', operation: 'getCurrentKey' },
		});
		await assert.rejects(run.run(), (error: unknown) => {
			assert.ok(error instanceof NodeApiError);
			assert.equal(error.httpCode, '401');
			assert.equal(error.context.code, 'unauthorized');
			assert.match(error.message, /invalid, expired or revoked/);
			assert.match(String(error.description), /^unauthorized/);
			assert.equal(error.context.itemIndex, 0);
			return true;
		});
	});
});
