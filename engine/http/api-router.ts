import express, { type RequestHandler, type Request, type Response, type Router } from 'express';
import type { Actor } from '../domain/actor';
import type { ApiKey, KeyService } from '../domain/keys';
import { hasScope } from '../domain/scopes';
import { ApiError } from '../support/errors';
import { presentedKey, type AuthGuard } from '../web/credentials';
import type { AnyRoute, RouteContext } from './route';
import { parseOrThrow, refuseControlCharacters } from '../web/validation';
import { refuseCrossSite, type SessionAuth } from '../web/sessions';
import { allowOrigin, corsPreflight, isPublishable, PUBLISHABLE_PREFIX, publishableKeyOf, type PublishableKeys } from '../web/publishable-keys';

export interface ApiRouterDeps {
  keys: KeyService;
  guard?: AuthGuard;
  /** Dashboard sessions, accepted in place of a key when the request presents none. */
  sessions?: SessionAuth;
  /** The per-address limit of requests without a credential (`public` routes). */
  anonymous?: RequestHandler;
  /** Browser-safe keys for conversion tracking; without it, mk_pub_ keys are refused like unknown keys. */
  publishableKeys?: PublishableKeys;
}

const JSON_TYPES = ['application/json', 'application/*+json'];

async function authenticate(req: Request, keys: KeyService, publishable?: PublishableKeys): Promise<ApiKey> {
  const secret = presentedKey(req);
  if (secret === null) {
    throw new ApiError('unauthorized', 'Missing API key. Send "Authorization: Bearer mk_live_…" or "X-API-Key: mk_live_…".');
  }
  const identity = publishable && secret.startsWith(PUBLISHABLE_PREFIX) ? await publishable.authenticate(secret) : null;
  const key = identity ? publishableKeyOf(identity, new Date()) : secret ? await keys.authenticate(secret) : null;
  if (!key) throw new ApiError('unauthorized', 'The API key is invalid, expired or revoked.');
  req.keyId = key.id;
  req.apiKey = key;
  return key;
}

function authentication(deps: ApiRouterDeps): RequestHandler {
  return async (req, res, next) => {
    if (deps.sessions && presentedKey(req) === null && (await deps.sessions.authenticate(req, res))) return next();
    const plain = () => authenticate(req, deps.keys, deps.publishableKeys);
    await (deps.guard ? deps.guard(req, res, plain) : plain());
    next();
  };
}

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

function parseRequest(route: AnyRoute, req: Request) {
  // An id no resource can have is a 404, like one that never existed; other path parameters, the query and the body
  // may carry no NUL or other control character (parseOrThrow checks those two with their schemas).
  if (route.params) {
    const parsed = route.params.safeParse(req.params);
    if (!parsed.success) throw new ApiError('not_found', `${route.tag.replace(/s$/, '')} not found.`);
    req.params = parsed.data as Record<string, string>;
  }
  refuseControlCharacters(req.params);
  if (!route.query) refuseControlCharacters(req.query);
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

/** A dashboard session, and nothing else (401 without one). */
function sessionOnly(deps: ApiRouterDeps): RequestHandler {
  return async (req, res, next) => {
    if (!(await deps.sessions?.authenticate(req, res))) throw new ApiError('unauthorized', 'Not signed in.');
    next();
  };
}

/** No credential: limited per client address; a browser may not send it from another site (login CSRF). */
function publicAccess(deps: ApiRouterDeps): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') refuseCrossSite(req);
    if (deps.anonymous) return deps.anonymous(req, res, next);
    next();
  };
}

const NOBODY = { workspaceId: '', mode: 'live', keyId: null, userId: null, scopes: [] } as const;

/**
 * A session's mode: live unless `X-Mask-Mode: test` asks for the workspace's test data (the dashboard's test-mode
 * switch, e.g. to manage test keys). A key's mode is its own and the header is ignored for keys.
 */
function sessionMode(req: Request): 'live' | 'test' {
  const requested = req.get('x-mask-mode');
  if (requested === undefined || requested === 'live') return 'live';
  if (requested === 'test') return 'test';
  throw new ApiError('bad_request', 'X-Mask-Mode must be live or test.', [{ field: 'X-Mask-Mode', message: 'Must be live or test' }]);
}

/** Who acts: the key, the signed-in user in their chosen workspace, or nobody (public routes). */
function actorOf(req: Request): Actor {
  const requestId = req.id ?? null;
  const session = req.userSession;
  if (session) return { workspaceId: session.workspaceId, mode: sessionMode(req), keyId: null, userId: session.userId, requestId, scopes: session.scopes };
  const key = req.apiKey;
  if (key) return { workspaceId: key.workspaceId, mode: key.mode, keyId: key.id, requestId, scopes: key.scopes };
  return { ...NOBODY, requestId, scopes: [] };
}

function mount(router: Router, route: AnyRoute, deps: ApiRouterDeps, before: RequestHandler[]): void {
  const template: RequestHandler = (req, _res, next) => {
    req.routeTemplate = `/api/v1${route.path}`;
    next();
  };
  router[route.method](route.path, template, ...before, async (req: Request, res: Response) => {
    const session = req.userSession ?? null;
    const key = session ? null : (req.apiKey ?? null);
    const actor = actorOf(req);
    if (isPublishable(key)) {
      if (!route.publishable || !deps.publishableKeys) throw new ApiError('forbidden', 'A publishable key (mk_pub_…) works only on POST /track/lead and POST /track/sale.');
      await allowOrigin(deps.publishableKeys, req, res, presentedKey(req) as string);
    }
    if (route.access !== 'public' && route.scope && !hasScope(actor.scopes, route.scope)) {
      throw new ApiError(
        'forbidden',
        session ? `Your role (${session.role}) does not allow this: it needs the "${route.scope}" scope.` : `This API key lacks the "${route.scope}" scope.`,
      );
    }
    const { params, query, body } = parseRequest(route, req);
    const ctx: RouteContext<unknown, unknown, unknown> = { params, query, body, key, session, actor, req, res };
    const result = await route.handler(ctx as never);
    if (res.headersSent) return;
    const status = route.status ?? 200;
    if (status === 204) res.status(204).end();
    else res.status(status).json(result);
  });
}

/**
 * Builds the /api/v1 router from route declarations: auth (guarded), JSON parsing, scopes, validation, handler.
 * Unknown paths are authenticated too, so they are limited and answer 401 or 404 like any other API request.
 */
export function buildApiRouter(routes: AnyRoute[], deps: ApiRouterDeps): Router {
  const router = express.Router();
  const authenticated = authentication(deps);
  const json = express.json({ limit: '1mb', type: JSON_TYPES, strict: true });
  const access = { public: publicAccess(deps), session: sessionOnly(deps) };
  for (const route of routes) {
    if (route.publishable) router.options(route.path, corsPreflight);
    mount(router, route, deps, [route.access ? access[route.access] : authenticated, json]);
  }
  router.use(authenticated, (req: Request) => {
    throw new ApiError('not_found', `No route ${req.method} ${req.baseUrl}${req.path}.`);
  });
  return router;
}

