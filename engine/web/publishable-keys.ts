import type { Request, RequestHandler, Response } from 'express';
import type { PublishableIdentity } from '../domain/conversions/settings';
import type { ApiKey } from '../domain/keys';
import { ApiError } from '../support/errors';

export const PUBLISHABLE_PREFIX = 'mk_pub_';

/** What the API needs of publishable keys: who a key stands for (domain/conversions/settings.ts). */
export interface PublishableKeys {
  authenticate(secret: string): Promise<PublishableIdentity | null>;
}

export const isPublishable = (key: ApiKey | null | undefined): boolean => key?.prefix === PUBLISHABLE_PREFIX;

/**
 * A publishable key as the API router sees a key: it may only report conversions (`conversions:write`), within its
 * workspace's own rate limit, and is never stored as an API key.
 */
export function publishableKeyOf(identity: PublishableIdentity, at: Date): ApiKey {
  return {
    id: `pub_${identity.mode}_${identity.workspaceId}`,
    workspaceId: identity.workspaceId,
    name: 'publishable key',
    mode: identity.mode,
    prefix: PUBLISHABLE_PREFIX,
    last4: '',
    scopes: ['conversions:write'],
    rateLimit: null,
    allowedIps: null,
    createdAt: at,
    lastUsedAt: null,
    expiresAt: null,
    revokedAt: null,
    rotatedTo: null,
  };
}

const ALLOWED_HEADERS = 'Authorization, Content-Type, X-API-Key';

/**
 * CORS for the routes a publishable key may call. The preflight is answered for any origin (it carries no key, so no
 * workspace to ask); the request itself is refused (403, and no Access-Control-Allow-Origin, so the browser blocks
 * it) unless the key's workspace lists its Origin.
 */
export const corsPreflight: RequestHandler = (req, res) => {
  const origin = req.headers.origin;
  res.setHeader('Vary', 'Origin');
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.status(204).end();
};

/** Checks the request's Origin against the publishable key's allowed origins, and answers it with CORS headers. */
export async function allowOrigin(keys: PublishableKeys, req: Request, res: Response, secret: string): Promise<void> {
  res.setHeader('Vary', 'Origin');
  const origin = req.headers.origin;
  const identity = await keys.authenticate(secret);
  if (!identity) throw new ApiError('unauthorized', 'The publishable key is invalid or was rotated.');
  if (!origin || !identity.allowedOrigins.includes(origin)) {
    throw new ApiError(
      'forbidden',
      origin
        ? `The origin ${origin} is not allowed to use this publishable key: add it to allowed_origins (PATCH /conversions/settings).`
        : 'A publishable key is used from a web page: the request must carry an Origin listed in allowed_origins.',
    );
  }
  res.setHeader('Access-Control-Allow-Origin', origin);
}
