import { z } from 'zod/v4';
import { EVENT_TYPES } from '../domain/outbox';
import { DISABLED_REASONS } from '../store/webhook-endpoints';
import { toIso } from '../support/time';
import { DELIVERY_STATUSES, DELIVERY_TRIGGERS, type DeliveryRow } from '../store/webhook-deliveries';
import { DEFAULT_ROTATION_GRACE_SECONDS, EVENT_WILDCARD, type WebhookEndpoint } from '../webhooks/endpoints';
import { idOf, isoDateTimeInput, listQuery, nullableTimestamp, timestamp } from './common';

export const eventType = z.enum(EVENT_TYPES);

const webhookUrl = z
  .string()
  .trim()
  .max(2048, 'At most 2048 characters')
  .superRefine((value, ctx) => {
    // The URL parser would quietly drop leading controls and inner tabs or line breaks: refuse them instead.
    if (/[\p{Cc}\s]/u.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'Must not contain spaces or control characters' });
      return;
    }
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Must be an absolute http:// or https:// URL' });
      return;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') ctx.addIssue({ code: 'custom', message: 'Must be an http:// or https:// URL' });
    else if (url.username || url.password) ctx.addIssue({ code: 'custom', message: 'Must not carry credentials; verify the webhook signature instead' });
    else if (url.hash) ctx.addIssue({ code: 'custom', message: 'Must not have a #fragment' });
  })
  .describe('Where deliveries are POSTed. Checked against the SSRF policy (WEBHOOK_ALLOWED_HOSTS) now and on every delivery.');

const events = z
  .array(z.union([eventType, z.literal(EVENT_WILDCARD)]))
  .min(1, 'Subscribe to at least one event type, or "*" for all')
  .refine((list) => new Set(list).size === list.length, 'Each event type at most once')
  .refine((list) => !list.includes(EVENT_WILDCARD) || list.length === 1, '"*" already means every event type; give it alone')
  .describe(`Event types to receive: any of ${EVENT_TYPES.join(', ')}, or ["*"] for all, including types added later`);

const description = z.string().trim().max(500, 'At most 500 characters').nullable();

export const webhookEndpoint = z.object({
  id: z.string().describe('wh_…'),
  url: z.string(),
  description: z.string().nullable(),
  events: z.array(z.string()),
  enabled: z.boolean(),
  mode: z.enum(['live', 'test']),
  disabled_reason: z
    .enum(DISABLED_REASONS)
    .nullable()
    .describe('manual (by an API call), endpoint_gone (it answered 410), failing (every attempt failed for WEBHOOK_DISABLE_AFTER)'),
  disabled_at: nullableTimestamp,
  failing_since: nullableTimestamp.describe('Start of the current run of failed attempts; null after any success'),
  previous_secret_expires_at: nullableTimestamp.describe('After a rotation: until then, deliveries are signed with both secrets'),
  created_at: timestamp,
  updated_at: timestamp,
});

const secret = z.string().describe('Signing secret (whsec_…). Returned only when created or rotated; store it now.');

export const createdWebhookEndpoint = webhookEndpoint.extend({ secret });

const endpointFields = { url: webhookUrl, events, description, enabled: z.boolean() };

export const createWebhookBody = z.strictObject({
  ...endpointFields,
  description: description.optional(),
  enabled: endpointFields.enabled.default(true),
});

export const updateWebhookBody = z
  .strictObject(endpointFields)
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'Give at least one of url, events, description, enabled');

export const listWebhooksQuery = listQuery.extend({ enabled: z.enum(['true', 'false']).optional() }).strict();

export const revealedSecret = z.object({ secret: z.string().describe('The current signing secret (whsec_…)') });

export const rotateSecretBody = z.strictObject({
  grace_seconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600, 'At most 7 days')
    .default(DEFAULT_ROTATION_GRACE_SECONDS)
    .describe('How long the previous secret keeps signing as a second signature (default 24 h; 0: stop at once)'),
});

export const testWebhookBody = z.strictObject({
  type: eventType.optional().describe('Event type of the example message (default: the first type the endpoint subscribes to)'),
});

export const webhookParams = z.strictObject({ id: idOf('wh') });
export const deliveryParams = z.strictObject({ id: idOf('wh'), delivery_id: idOf('dlv') });

export const delivery = z.object({
  id: z.string().describe('dlv_…: one attempt (or, while pending, one scheduled attempt)'),
  endpoint_id: z.string(),
  message_id: z.string().describe('msg_…: the webhook-id header, the same for every attempt and replay of a message'),
  event_type: z.string(),
  attempt: z.number().int().describe('1 for the first attempt, then 2, 3… for retries; replays and tests start at 1'),
  trigger: z.enum(DELIVERY_TRIGGERS),
  replay_of: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  scheduled_at: timestamp,
  attempted_at: nullableTimestamp,
  duration_ms: z.number().int().nullable(),
  status_code: z.number().int().nullable(),
  response_body: z.string().nullable().describe('The first kilobyte of the response body'),
  error: z.string().nullable(),
  next_attempt_at: nullableTimestamp.describe('On a failed attempt: when the next one is scheduled; null when none will follow'),
  created_at: timestamp,
});

export const deliveryWithPayload = delivery.extend({
  payload: z.unknown().describe('The message body exactly as sent: {id, type, timestamp, workspace_id, data}'),
});

export const listDeliveriesQuery = listQuery
  .extend({
    status: z.enum(DELIVERY_STATUSES).optional(),
    message_id: idOf('msg').optional(),
    event_type: eventType.optional().describe('Only attempts of this event type'),
    created_after: isoDateTimeInput.optional().describe('Only attempts created at or after this time'),
    created_before: isoDateTimeInput.optional().describe('Only attempts created before this time'),
  })
  .strict()
  .refine((q) => !(q.created_after && q.created_before && q.created_after >= q.created_before), { message: 'Must be before created_before', path: ['created_after'] });

/** The API's view of an endpoint: never its secrets. */
export const serializeEndpoint = (endpoint: WebhookEndpoint): z.infer<typeof webhookEndpoint> => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  enabled: endpoint.enabled,
  mode: endpoint.mode,
  disabled_reason: endpoint.disabledReason,
  disabled_at: toIso(endpoint.disabledAt),
  failing_since: toIso(endpoint.failingSince),
  previous_secret_expires_at: toIso(endpoint.previousSecretExpiresAt),
  created_at: toIso(endpoint.createdAt) as string,
  updated_at: toIso(endpoint.updatedAt) as string,
});

const time = (ms: number | null) => (ms === null ? null : toIso(Number(ms)));

export const serializeDelivery = (row: DeliveryRow): z.infer<typeof delivery> => ({
  id: row.id,
  endpoint_id: row.endpoint_id,
  message_id: row.message_id,
  event_type: row.event_type,
  attempt: Number(row.attempt),
  trigger: row.trigger,
  replay_of: row.replay_of,
  status: row.status,
  scheduled_at: time(row.scheduled_at) as string,
  attempted_at: time(row.attempted_at),
  duration_ms: row.duration_ms === null ? null : Number(row.duration_ms),
  status_code: row.status_code === null ? null : Number(row.status_code),
  response_body: row.response_body,
  error: row.error,
  next_attempt_at: time(row.next_attempt_at),
  created_at: time(row.created_at) as string,
});
