import assert from 'node:assert/strict';
import type { INodeType } from 'n8n-workflow';
import type { VersionedNodeType } from 'n8n-workflow';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { N8nDouble, type Credentials, type DoubleOptions } from './n8n-double';

export interface NodeTestEngine extends TestEngine {
	credentials: Credentials;
	/** `METHOD /path` of every route the engine serves, from its OpenAPI document. */
	routes: Set<string>;
	double(node: INodeType | VersionedNodeType, options: Omit<DoubleOptions, 'credentials'> & { credentials?: Credentials }): N8nDouble;
	/** Fails the test, naming what is missing, when the engine does not serve one of `needed` (`POST /links`). */
	requireRoutes(...needed: string[]): void;
}

/** A real engine on 127.0.0.1 (SQLite, or Postgres + Redis in that pass) that also lets loopback webhook targets through. */
export async function startNodeTestEngine(): Promise<NodeTestEngine> {
	const engine = await startTestEngine({ env: { WEBHOOK_ALLOWED_HOSTS: 'loopback' } });
	const openapi = await engine.api<{ paths: Record<string, Record<string, unknown>> }>('GET', '/api/v1/openapi.json');
	const routes = new Set(
		Object.entries(openapi.body.paths).flatMap(([path, methods]) =>
			Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/^\/api\/v1/, '').replace(/\{[^}]+\}/g, ':id')}`),
		),
	);
	const credentials: Credentials = { baseUrl: engine.baseUrl, apiKey: engine.adminKey };
	return Object.assign(engine, {
		credentials,
		routes,
		double: (node: INodeType | VersionedNodeType, options: Omit<DoubleOptions, 'credentials'> & { credentials?: Credentials }) =>
			new N8nDouble(node, { credentials, ...options }),
		requireRoutes(...needed: string[]) {
			assert.deepEqual(needed.filter((route) => !routes.has(route)), [], 'routes the node calls are missing from the engine');
		},
	});
}
