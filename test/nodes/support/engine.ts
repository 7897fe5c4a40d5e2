import type { TestContext } from 'node:test';
import type { INodeType } from 'n8n-workflow';
import type { VersionedNodeType } from 'n8n-workflow';
import { startTestEngine, type TestEngine } from '../../support/engine';
import { N8nDouble, type Credentials, type DoubleOptions } from './n8n-double';

export interface NodeTestEngine extends TestEngine {
	credentials: Credentials;
	/** `METHOD /path` of every route the engine serves, from its OpenAPI document. */
	routes: Set<string>;
	double(node: INodeType | VersionedNodeType, options: Omit<DoubleOptions, 'credentials'> & { credentials?: Credentials }): N8nDouble;
	/**
	 * Skips the test, naming what is missing, when the engine does not serve one of `needed` yet
	 * (`POST /links`). Such tests run as soon as the route lands.
	 */
	needs(t: TestContext, ...needed: string[]): boolean;
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
		needs(t: TestContext, ...needed: string[]) {
			const missing = needed.filter((route) => !routes.has(route));
			if (missing.length > 0) t.skip(`not verified: the engine does not serve ${missing.join(', ')} yet`);
			return missing.length === 0;
		},
	});
}
