import type { Server } from 'node:http';
import { createEngine, type Engine, type EngineOptions } from '../../engine';
import type { Mode, Scope } from '../../engine/domain/scopes';
import type { Workspace } from '../../engine/domain/workspaces';
import { createTestDatabase, testRedis, testSecret, type TestDatabase } from './databases';
import { partsOf, type EngineParts } from '../../engine/wiring';
import { servedContract, type ResponseContract } from './openapi-contract';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body sent as is (for malformed JSON tests). */
  rawBody?: string;
  key?: string | null;
  headers?: Record<string, string>;
  /** false skips checking a 2xx answer against the engine's OpenAPI document (say why at the call). */
  validate?: boolean;
}

export interface TestEngine {
  engine: Engine;
  /** What the engine is made of, for tests that reach below the API. */
  parts: EngineParts;
  server: Server;
  baseUrl: string;
  workspace: Workspace;
  /** A live admin key of `workspace`. */
  adminKey: string;
  createKey(scopes: Scope[], options?: { mode?: Mode; workspaceId?: string }): Promise<string>;
  createWorkspace(name?: string): Promise<{ workspace: Workspace; adminKey: string }>;
  api<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export const TEST_DOMAIN = 'go.mask.test';

/** A real engine on a real database, listening on 127.0.0.1 on a free port. */
export async function startTestEngine(options: EngineOptions = {}): Promise<TestEngine> {
  const database: TestDatabase = await createTestDatabase();
  const engine = createEngine({
    databaseUrl: database.url,
    defaultDomain: TEST_DOMAIN,
    logLevel: 'silent',
    env: {},
    ...testRedis(),
    ...testSecret(),
    ...options,
  });
  let server: Server & { url: string };
  let contract: ResponseContract;
  try {
    server = await engine.listen(0, '127.0.0.1');
    contract = await servedContract(server.url);
  } catch (error) {
    // A failed start may leave parts half-open; the start-up error is the one that matters.
    await engine.close().catch(() => undefined);
    await database.drop().catch(() => undefined);
    throw error;
  }
  const baseUrl = server.url;
  const { workspaces, keys } = partsOf(engine);

  const createKey = async (scopes: Scope[], opts: { mode?: Mode; workspaceId?: string } = {}): Promise<string> =>
    (await keys.create({ workspaceId: opts.workspaceId ?? workspace.id, name: 'test key', mode: opts.mode ?? 'live', scopes })).secret;

  const createWorkspace = async (name = 'Other'): Promise<{ workspace: Workspace; adminKey: string }> => {
    const created = await workspaces.create({ name });
    return { workspace: created, adminKey: await createKey(['admin'], { workspaceId: created.id }) };
  };

  const { workspace, adminKey } = await createWorkspace('Test workspace');

  const api = async <T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? adminKey : opts.key;
    if (key) headers.authorization ??= `Bearer ${key}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    const answer = { status: response.status, headers: response.headers, body: parsed as T, text };
    if (opts.validate !== false) contract.check(method, path, answer);
    return answer;
  };

  const stop = async () => {
    await engine.close();
    await database.drop();
  };

  return { engine, parts: partsOf(engine), server, baseUrl, workspace, adminKey, createKey, createWorkspace, api, stop };
}
