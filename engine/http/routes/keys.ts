import { idParams, listResponse } from '../../contracts/common';
import { apiKey, createdApiKey, createKeyBody, listKeysQuery, rotateKeyBody, rotatedApiKey, serializeKey, updateKeyBody } from '../../contracts/keys';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

export const keyRoutes = ({ keys }: ApiServices) => [
  defineRoute({
    method: 'get',
    path: '/keys',
    scope: 'admin',
    tag: 'API keys',
    summary: 'List API keys',
    description: 'Keys of the calling key’s workspace and mode. The secret itself is never shown again.',
    query: listKeysQuery,
    response: listResponse(apiKey),
    async handler({ query, actor }) {
      const page = await keys.page(actor, query.include_revoked === 'true', {
        limit: query.limit,
        cursor: query.cursor,
        sort: 'id',
        order: 'desc',
        scope: `keys:${actor.workspaceId}:${actor.mode}:${query.include_revoked}`,
      });
      const effective = await keys.effectiveRateLimits(actor.workspaceId);
      return { data: page.rows.map((key) => serializeKey(key, effective)), pagination: { has_more: page.hasMore, cursor: page.cursor } };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys',
    scope: 'admin',
    tag: 'API keys',
    summary: 'Create an API key',
    description: 'The new key has the calling key’s mode (live or test). Its full value is returned only here.',
    body: createKeyBody,
    response: createdApiKey,
    status: 201,
    async handler({ body, actor }) {
      const { key, secret } = await keys.create(
        { workspaceId: actor.workspaceId, name: body.name, mode: actor.mode, scopes: body.scopes, rateLimit: body.rate_limit, allowedIps: body.allowed_ips },
        actor,
      );
      return { ...serializeKey(key, await keys.effectiveRateLimits(actor.workspaceId)), key: secret };
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/keys/:id',
    scope: 'admin',
    tag: 'API keys',
    summary: 'Update an API key',
    description: 'Rename it, change its scopes, its rate limit (null: back to the workspace limit) or its allowed_ips (null: any address). Effective on its next request. `effective_rate_limit` is what it gets: its own limit capped by the plan’s rate_limit_per_key.',
    params: idParams('key'),
    body: updateKeyBody,
    response: apiKey,
    async handler({ params, body, actor }) {
      const updated = await keys.update(actor, params.id, { name: body.name, scopes: body.scopes, rateLimit: body.rate_limit, allowedIps: body.allowed_ips }, actor);
      return serializeKey(updated, await keys.effectiveRateLimits(actor.workspaceId));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/keys/:id',
    scope: 'admin',
    tag: 'API keys',
    summary: 'Revoke an API key',
    description: 'Effective on the next request.',
    params: idParams('key'),
    response: apiKey,
    async handler({ params, actor }) {
      const revoked = await keys.revoke(actor, params.id, actor);
      return serializeKey(revoked, await keys.effectiveRateLimits(actor.workspaceId));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/keys/:id/rotate',
    scope: 'admin',
    tag: 'API keys',
    summary: 'Rotate an API key',
    description: 'Atomically issues a replacement with the same name and scopes; the old key keeps working for grace_seconds.',
    params: idParams('key'),
    body: rotateKeyBody,
    response: rotatedApiKey,
    status: 201,
    async handler({ params, body, actor }) {
      const { key, secret, previous } = await keys.rotate(actor, params.id, body.grace_seconds, actor);
      const effective = await keys.effectiveRateLimits(actor.workspaceId);
      return { ...serializeKey(key, effective), key: secret, previous: serializeKey(previous, effective) };
    },
  }),
];
