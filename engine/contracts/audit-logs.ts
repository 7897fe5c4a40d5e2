import { z } from 'zod/v4';
import type { AuditLogEntry } from '../domain/audit-logs';
import { toIso } from '../support/time';
import { idOf, isoDateTimeInput, listQuery, timestamp } from './common';

const ACTION = String.raw`[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*(?:\.\*)?`;
/** One to 20 actions, comma-separated. */
const ACTIONS = new RegExp(String.raw`^${ACTION}(?:\s*,\s*${ACTION}){0,19}$`);

export const auditLogEntry = z.object({
  id: z.string().describe('aud_…'),
  action: z.string().describe('What happened, e.g. key.created, link.updated, webhook.disabled'),
  actor_type: z.enum(['api_key', 'user', 'system']).describe('api_key: a request made with a key; user: a signed-in user (dashboard); system: the engine itself'),
  actor_key_id: z.string().nullable().describe('The key that made the request (null for system actions)'),
  actor_user_id: z.string().nullable().describe('The signed-in user who made the request (usr_…; null for keys and system actions)'),
  resource_type: z.string(),
  resource_id: z.string().nullable(),
  request_id: z.string().nullable().describe('X-Request-Id of the request that made the change'),
  changes: z
    .record(z.string(), z.object({ before: z.unknown(), after: z.unknown() }))
    .describe('Changed fields with their value before and after; secrets are shown as "[redacted]"'),
  created_at: timestamp,
});

export const serializeAuditEntry = (entry: AuditLogEntry): z.infer<typeof auditLogEntry> => ({
  id: entry.id,
  action: entry.action,
  actor_type: entry.actorType,
  actor_key_id: entry.actorKeyId,
  actor_user_id: entry.actorUserId,
  resource_type: entry.resourceType,
  resource_id: entry.resourceId,
  request_id: entry.requestId,
  changes: entry.changes,
  created_at: toIso(entry.createdAt) as string,
});

export const listAuditLogsQuery = listQuery
  .extend({
    action: z
      .string()
      .max(1000)
      .regex(ACTIONS, 'Must be up to 20 comma-separated actions such as key.created, or key.* for a whole family')
      .transform((value) => value.split(',').map((action) => action.trim()))
      .optional()
      .describe('Comma-separated actions; `key.*` matches every key action'),
    actor_key_id: idOf('key').optional(),
    actor_user_id: idOf('usr').optional(),
    actor_type: z.enum(['api_key', 'user', 'system']).optional(),
    resource_type: z.string().regex(/^[a-z_]{1,32}$/, 'Must be a resource type such as api_key or link').optional(),
    resource_id: z.string().regex(/^[a-z]+_[0-9a-z]{26}$/, 'Must be a resource id such as key_…').optional(),
    start: isoDateTimeInput.optional().describe('Entries at or after this time'),
    end: isoDateTimeInput.optional().describe('Entries before this time'),
  })
  .strict()
  .refine((query) => !query.start || !query.end || query.start < query.end, { message: 'Must be after start', path: ['end'] });
