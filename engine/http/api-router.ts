import express, { type Request, type Response, type Router } from 'express';
import type { Actor } from '../domain/actor';
import type { ApiKey, KeyService } from '../domain/keys';
import { hasScope } from '../domain/scopes';
import { ApiError } from '../support/errors';
import type { AnyRoute, RouteContext } from './route';
import { parseOrThrow } from './validation';

/** Runs after authentication and before the handler: rate limiting, usage counting. */
export type ApiHook = (req: Request, res: Response, key: ApiKey, route: AnyRoute) => Promise<void>;

export interface ApiRouterDeps {
  keys: KeyService;
  hooks?: ApiHook[];
}

const JSON_TYPES = ['application/json', 'application/*+json'];

function presentedKey(req: Request): string | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1] : '';
  }
  const alternative = req.headers['x-api-key'];
  return typeof alternative === 'string' ? alternative.trim() : null;
}

async function authenticate(req: Request, keys: KeyService): Promise<ApiKey> {
  const secret = presentedKey(req);
  if (secret === null) {
    throw new ApiError('unauthorized', 'Missing API key. Send "Authorization: Bearer mk_live_…" or "X-API-Key: mk_live_…".');
  }
  const key = secret ? await keys.authenticate(secret) : null;
  if (!key) throw new ApiError('unauthorized', 'The API key is invalid, expired or revoked.');
  req.keyId = key.id;
  return key;
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

function parseRequest(route: AnyRoute, req: Request) {
  if (route.params) {
    const parsed = route.params.safeParse(req.params);
    if (!parsed.success) throw new ApiError('not_found', `${route.tag.replace(/s$/, '')} not found.`);
    req.params = parsed.data as Record<string, string>;
  }
  const query = route.query ? parseOrThrow(route.query, req.query) : undefined;
  let body: unknown;
  if (route.body) {
    if (hasBody(req) && !req.is(JSON_TYPES)) {
      throw new ApiError('unsupported_media_type', 'Send the request body as JSON with "Content-Type: application/json".');
    }
    const raw: unknown = req.body === undefined ? {} : req.body;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ApiError('bad_request', 'The request body must be a JSON object.');
    body = parseOrThrow(route.body, raw);
  }
  return { params: req.params, query, body };
}

function mount(router: Router, route: AnyRoute, deps: ApiRouterDeps): void {
  router[route.method](route.path, async (req: Request, res: Response) => {
    req.routeTemplate = `/api/v1${route.path}`;
    const key = await authenticate(req, deps.keys);
    if (route.scope && !hasScope(key.scopes, route.scope)) {
      throw new ApiError('forbidden', `This API key lacks the "${route.scope}" scope.`);
    }
    for (const hook of deps.hooks ?? []) await hook(req, res, key, route);
    const { params, query, body } = parseRequest(route, req);
    const actor: Actor = { workspaceId: key.workspaceId, mode: key.mode, keyId: key.id, requestId: req.id ?? null, scopes: key.scopes };
    const ctx: RouteContext<unknown, unknown, unknown> = { params, query, body, key, actor, req, res };
    const result = await route.handler(ctx as never);
    if (res.headersSent) return;
    const status = route.status ?? 200;
    if (status === 204) res.status(204).end();
    else res.status(status).json(result);
  });
}

/** Builds the /api/v1 router from route declarations: JSON parsing, auth, scopes, validation, handler. */
export function buildApiRouter(routes: AnyRoute[], deps: ApiRouterDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb', type: JSON_TYPES, strict: true }));
  for (const route of routes) mount(router, route, deps);
  return router;
}

