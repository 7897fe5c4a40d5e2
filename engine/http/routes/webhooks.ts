import { deletedResponse, listResponse } from '../../contracts/common';
import {
  createdWebhookEndpoint,
  createWebhookBody,
  delivery,
  deliveryParams,
  deliveryWithPayload,
  listDeliveriesQuery,
  listWebhooksQuery,
  revealedSecret,
  rotateSecretBody,
  serializeDelivery,
  serializeEndpoint,
  testWebhookBody,
  updateWebhookBody,
  webhookEndpoint,
  webhookParams,
} from '../../contracts/webhooks';
import type { DeliveryRow } from '../../store/webhook-deliveries';
import type { ApiServices } from './deps';
import { defineRoute } from '../route';

const TAG = 'Webhooks';

export const webhookRoutes = ({ webhooks, paginator }: ApiServices) => {
  const { endpoints, deliveries } = webhooks;
  return [
    defineRoute({
      method: 'get',
      path: '/webhooks',
      scope: 'webhooks:read',
      tag: TAG,
      summary: 'List webhook endpoints',
      description: 'Endpoints of the calling key’s workspace and mode, newest first. Secrets are never listed.',
      query: listWebhooksQuery,
      response: listResponse(webhookEndpoint),
      async handler({ query, actor }) {
        const enabled = query.enabled === undefined ? undefined : query.enabled === 'true';
        const page = await paginator.page<{ id: string }>(endpoints.listQuery(actor, enabled), {
          limit: query.limit,
          cursor: query.cursor,
          sort: 'id',
          order: 'desc',
          scope: `webhooks:${actor.workspaceId}:${actor.mode}:${query.enabled ?? ''}`,
        });
        return { data: page.rows.map((row) => serializeEndpoint(endpoints.fromRow(row))), pagination: { has_more: page.hasMore, cursor: page.cursor } };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Create a webhook endpoint',
      description:
        'Deliveries are signed with the Standard Webhooks scheme (webhook-id, webhook-timestamp, webhook-signature). The secret is returned only here.',
      body: createWebhookBody,
      response: createdWebhookEndpoint,
      status: 201,
      async handler({ body, actor }) {
        const { endpoint, secret } = await endpoints.create(actor, body);
        return { ...serializeEndpoint(endpoint), secret };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhooks/:id',
      scope: 'webhooks:read',
      tag: TAG,
      summary: 'Get a webhook endpoint',
      params: webhookParams,
      response: webhookEndpoint,
      async handler({ params, actor }) {
        return serializeEndpoint(await endpoints.get(actor, params.id));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/webhooks/:id',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Update a webhook endpoint',
      description: 'Disabling fails its pending deliveries (replay them later); enabling clears the disabled reason and the failure run.',
      params: webhookParams,
      body: updateWebhookBody,
      response: webhookEndpoint,
      async handler({ params, body, actor }) {
        return serializeEndpoint(await endpoints.update(actor, params.id, body));
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/webhooks/:id',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Delete a webhook endpoint',
      description: 'Its pending deliveries are dropped with it.',
      params: webhookParams,
      response: deletedResponse,
      async handler({ params, actor }) {
        await endpoints.remove(actor, params.id);
        return { deleted: true as const, id: params.id };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/:id/reveal-secret',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Reveal the current signing secret',
      description: 'The secret as deliveries are signed with it now (stored encrypted). Each reveal is audited as webhook.secret_revealed; a POST so that nothing caches it.',
      params: webhookParams,
      response: revealedSecret,
      async handler({ params, actor }) {
        return { secret: await endpoints.revealSecret(actor, params.id) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/:id/rotate-secret',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Rotate the signing secret',
      description: 'Returns the new secret. For grace_seconds (default 24 h) deliveries carry signatures made with both the new and the previous secret.',
      params: webhookParams,
      body: rotateSecretBody,
      response: createdWebhookEndpoint,
      async handler({ params, body, actor }) {
        const { endpoint, secret } = await endpoints.rotateSecret(actor, params.id, body.grace_seconds);
        return { ...serializeEndpoint(endpoint), secret };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/:id/test',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Send a test message',
      description: 'Queues an example message of the given type to this endpoint only (one attempt, no retries). Follow it in the delivery log.',
      params: webhookParams,
      body: testWebhookBody,
      response: delivery,
      status: 202,
      async handler({ params, body, actor }) {
        return serializeDelivery(await deliveries.sendTest(actor, params.id, body.type));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhooks/:id/deliveries',
      scope: 'webhooks:read',
      tag: TAG,
      summary: 'List delivery attempts',
      description: 'Every attempt, newest first, including scheduled ones (status pending). Filter by status, message_id, event_type and creation time (created_after inclusive, created_before exclusive).',
      params: webhookParams,
      query: listDeliveriesQuery,
      response: listResponse(delivery),
      async handler({ params, query, actor }) {
        const { query: builder } = await deliveries.listQuery(actor, params.id, {
          status: query.status,
          messageId: query.message_id,
          eventType: query.event_type,
          createdAfter: query.created_after?.getTime(),
          createdBefore: query.created_before?.getTime(),
        });
        const page = await paginator.page<DeliveryRow>(builder, {
          limit: query.limit,
          cursor: query.cursor,
          sort: 'id',
          order: 'desc',
          scope: `deliveries:${params.id}:${query.status ?? ''}:${query.message_id ?? ''}:${query.event_type ?? ''}:${query.created_after?.getTime() ?? ''}:${query.created_before?.getTime() ?? ''}`,
        });
        return { data: page.rows.map(serializeDelivery), pagination: { has_more: page.hasMore, cursor: page.cursor } };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/webhooks/:id/deliveries/:delivery_id',
      scope: 'webhooks:read',
      tag: TAG,
      summary: 'Get a delivery attempt with its message',
      params: deliveryParams,
      response: deliveryWithPayload,
      async handler({ params, actor }) {
        const found = await deliveries.get(actor, params.id, params.delivery_id);
        return { ...serializeDelivery(found.delivery), payload: found.payload };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/webhooks/:id/deliveries/:delivery_id/replay',
      scope: 'webhooks:write',
      tag: TAG,
      summary: 'Replay a delivery',
      description: 'Sends the same message again (same webhook-id and body, fresh timestamp and signature) as a new delivery with its own retries.',
      params: deliveryParams,
      response: delivery,
      status: 202,
      async handler({ params, actor }) {
        return serializeDelivery(await deliveries.replay(actor, params.id, params.delivery_id));
      },
    }),
  ];
};
