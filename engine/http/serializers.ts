import type { Domain } from '../domain/domains';
import type { ApiKey } from '../domain/keys';
import type { Member } from '../domain/members';
import { toIso } from '../support/time';

export const serializeKey = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  mode: key.mode,
  prefix: key.prefix,
  last4: key.last4,
  scopes: key.scopes,
  rate_limit: key.rateLimit,
  created_at: toIso(key.createdAt) as string,
  last_used_at: toIso(key.lastUsedAt),
  expires_at: toIso(key.expiresAt),
  revoked_at: toIso(key.revokedAt),
  rotated_to: key.rotatedTo,
});

export const serializeDomain = (d: Domain) => ({
  id: d.id,
  hostname: d.hostname,
  is_default: d.isDefault,
  secure: d.secure,
  created_at: toIso(d.createdAt) as string,
});

export const serializeMember = (m: Member) => ({
  id: m.id,
  name: m.name,
  email: m.email,
  role: m.role,
  created_at: toIso(m.createdAt) as string,
  updated_at: toIso(m.updatedAt) as string,
});
