import type { Knex } from 'knex';
import { newId } from '../support/ids';
import type { Actor } from './actor';

const SECRET_FIELDS = /password|secret|key_hash|token/i;

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Fields that differ between before and after, secrets masked; both sides given for each field. */
export function diffChanges(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, { before: unknown; after: unknown }> {
  const out: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    out[key] = SECRET_FIELDS.test(key) ? { before: b === null ? null : '[redacted]', after: a === null ? null : '[redacted]' } : { before: b, after: a };
  }
  return out;
}

/** Records an audit entry inside the caller's transaction, so it commits or rolls back with the change. */
export async function recordAudit(trx: Knex | Knex.Transaction, actor: Actor, entry: AuditEntry, at: Date): Promise<void> {
  await recordAudits(trx, actor, [entry], at);
}

/** Several entries of one actor in one multi-row insert (bulk operations audit each item). */
export async function recordAudits(trx: Knex | Knex.Transaction, actor: Actor, entries: AuditEntry[], at: Date): Promise<void> {
  const rows = entries.map((entry) => ({
    id: newId('aud', at.getTime()),
    workspace_id: actor.workspaceId,
    mode: actor.mode,
    actor_key_id: actor.keyId,
    actor_type: actor.keyId ? 'api_key' : 'system',
    action: entry.action,
    resource_type: entry.resourceType,
    resource_id: entry.resourceId,
    request_id: actor.requestId,
    changes: JSON.stringify(diffChanges(entry.before, entry.after)),
    created_at: at.getTime(),
  }));
  for (let i = 0; i < rows.length; i += 200) await trx('audit_logs').insert(rows.slice(i, i + 200));
}
