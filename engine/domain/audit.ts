import type { Knex } from 'knex';
import { AuditLogStore, type Changes } from '../store/audit-log';
import { newId } from '../support/ids';
import type { Actor } from './actor';

/** Field names whose values are secrets, at any depth (booleans such as `has_password` stay visible). */
const SECRET_NAME = /password|secret|token|key_hash|authorization|cookie|credential|api_?key$|private_?key/i;
/** Secrets recognisable by their shape wherever they appear: API keys, webhook secrets, password hashes, bearer values. */
const SECRET_VALUE = /mk_(live|test)_[A-Za-z0-9_-]{16,}|whsec_[A-Za-z0-9+/=_-]{16,}|scrypt\$[^\s"]+|Bearer\s+\S+/g;
const REDACTED = '[redacted]';

/** A value as the audit log may show it: secrets replaced by "[redacted]", however deeply nested. */
export function redactSecrets(value: unknown, name = ''): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value;
  if (SECRET_NAME.test(name)) return REDACTED;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.replace(SECRET_VALUE, REDACTED);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item));
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactSecrets(item, key)]));
  return String(value);
}

export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

const comparable = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));

/** Fields that differ between before and after (compared unmasked), secrets masked; both sides given for each field. */
export function diffChanges(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Changes {
  const out: Changes = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (comparable(b) === comparable(a)) continue;
    out[key] = { before: redactSecrets(b, key), after: redactSecrets(a, key) };
  }
  return out;
}

/** Records an audit entry on `db`: the transaction of the change, so it commits or rolls back with it. */
export async function recordAudit(db: Knex, actor: Actor, entry: AuditEntry, at: Date): Promise<void> {
  await recordAudits(db, actor, [entry], at);
}

/** Several entries of one actor in one multi-row insert (bulk operations audit each item). */
export async function recordAudits(db: Knex, actor: Actor, entries: AuditEntry[], at: Date): Promise<void> {
  await new AuditLogStore(db).insert(
    entries.map((entry) => ({
      id: newId('aud', at.getTime()),
      workspaceId: actor.workspaceId,
      mode: actor.mode,
      actorKeyId: actor.keyId,
      actorUserId: actor.userId ?? null,
      actorType: actor.keyId ? 'api_key' : actor.userId ? 'user' : 'system',
      action: entry.action,
      resourceType: entry.resourceType,
      resourceId: entry.resourceId,
      requestId: actor.requestId,
      changes: diffChanges(entry.before, entry.after),
      createdAt: at,
    })),
  );
}
