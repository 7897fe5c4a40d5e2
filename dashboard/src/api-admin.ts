/**
 * Endpoints and shapes of the screens beyond links and analytics (pages, domains, keys, webhooks, team, audit, usage,
 * settings). Kept apart from api.ts so that only the lazily loaded screens carry them.
 */
import { id, json, type Domain, type Page, type Role } from './api';

type Mode = 'live' | 'test';

// ---- Bio pages ----

export const THEMES = ['auto', 'light', 'dark', 'sunset', 'ocean', 'forest'] as const;
export type Theme = (typeof THEMES)[number];

export interface PageItem {
  label: string;
  link_id?: string;
  url?: string;
  short_url: string;
  clicks: number;
}

export interface BioPage {
  id: string;
  handle: string;
  domain: string;
  title: string | null;
  description: string | null;
  avatar_url: string | null;
  theme: Theme;
  items: PageItem[];
  published: boolean;
  published_at: string | null;
  public_url: string;
  created_at: string;
  updated_at: string;
}

export interface PageInput {
  handle?: string;
  domain?: string | null;
  title?: string | null;
  description?: string | null;
  avatar_url?: string | null;
  theme?: Theme;
  items?: { label: string; link_id?: string; url?: string }[];
}

export const pages = {
  list: (cursor?: string | null) => json<Page<BioPage>>('GET', '/pages', { query: { limit: 100, cursor } }),
  get: (pageId: string) => json<BioPage>('GET', `/pages/${id(pageId)}`),
  create: (body: PageInput) => json<BioPage>('POST', '/pages', { body }),
  update: (pageId: string, body: PageInput) => json<BioPage>('PATCH', `/pages/${id(pageId)}`, { body }),
  remove: (pageId: string) => json<unknown>('DELETE', `/pages/${id(pageId)}`),
  publish: (pageId: string, on: boolean) => json<BioPage>('POST', `/pages/${id(pageId)}/${on ? 'publish' : 'unpublish'}`),
  qrPath: (pageId: string) => `/pages/${id(pageId)}/qr`,
};

// ---- Domains ----

export const customDomains = {
  list: () => json<Page<Domain>>('GET', '/domains', { query: { limit: 100 } }),
  create: (body: { hostname: string; is_default?: boolean; secure?: boolean }) => json<Domain>('POST', '/domains', { body }),
  update: (domainId: string, body: { is_default?: boolean; secure?: boolean }) => json<Domain>('PATCH', `/domains/${id(domainId)}`, { body }),
  remove: (domainId: string) => json<unknown>('DELETE', `/domains/${id(domainId)}`),
  check: (domainId: string) =>
    json<{ id: string; verified: boolean; problem: string | null; checked_url: string; checked_at: string }>('POST', `/domains/${id(domainId)}/check`),
};

// ---- API keys ----

export const SCOPES = ['links:read', 'links:write', 'analytics:read', 'pages:read', 'pages:write', 'webhooks:read', 'webhooks:write', 'team:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  id: string;
  name: string;
  mode: Mode;
  prefix: string;
  last4: string;
  scopes: Scope[];
  rate_limit: number | null;
  allowed_ips: string[] | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  rotated_to: string | null;
}

export type CreatedKey = ApiKey & { key: string };

export const keys = {
  list: (mode: Mode, includeRevoked: boolean) =>
    json<Page<ApiKey>>('GET', '/keys', { query: { limit: 100, include_revoked: includeRevoked }, mode }),
  create: (mode: Mode, body: { name: string; scopes: Scope[]; allowed_ips?: string[] | null }) => json<CreatedKey>('POST', '/keys', { body, mode }),
  update: (mode: Mode, keyId: string, body: { allowed_ips: string[] | null }) => json<ApiKey>('PATCH', `/keys/${id(keyId)}`, { body, mode }),
  revoke: (mode: Mode, keyId: string) => json<unknown>('DELETE', `/keys/${id(keyId)}`, { mode }),
  rotate: (mode: Mode, keyId: string, graceSeconds: number) =>
    json<CreatedKey & { previous: ApiKey }>('POST', `/keys/${id(keyId)}/rotate`, { body: { grace_seconds: graceSeconds }, mode }),
};

// ---- Webhooks ----

export const EVENT_TYPES = ['link.created', 'link.updated', 'link.deleted', 'click.recorded', 'page.published', 'subscription.updated'] as const;

export interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  mode: Mode;
  disabled_reason: 'manual' | 'endpoint_gone' | 'failing' | null;
  disabled_at: string | null;
  failing_since: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface Delivery {
  id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  attempt: number;
  trigger: 'event' | 'replay' | 'test';
  replay_of: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  scheduled_at: string;
  attempted_at: string | null;
  duration_ms: number | null;
  status_code: number | null;
  response_body: string | null;
  error: string | null;
  next_attempt_at: string | null;
  created_at: string;
}

export interface EndpointInput {
  url?: string;
  events?: string[];
  description?: string | null;
  enabled?: boolean;
}

export const webhooks = {
  list: () => json<Page<Endpoint>>('GET', '/webhooks', { query: { limit: 100 } }),
  create: (body: EndpointInput) => json<Endpoint & { secret: string }>('POST', '/webhooks', { body }),
  update: (endpointId: string, body: EndpointInput) => json<Endpoint>('PATCH', `/webhooks/${id(endpointId)}`, { body }),
  remove: (endpointId: string) => json<unknown>('DELETE', `/webhooks/${id(endpointId)}`),
  revealSecret: (endpointId: string) => json<{ secret: string }>('POST', `/webhooks/${id(endpointId)}/reveal-secret`),
  rotateSecret: (endpointId: string, graceSeconds: number) =>
    json<Endpoint & { secret: string }>('POST', `/webhooks/${id(endpointId)}/rotate-secret`, { body: { grace_seconds: graceSeconds } }),
  test: (endpointId: string, type?: string) => json<Delivery>('POST', `/webhooks/${id(endpointId)}/test`, { body: type ? { type } : {} }),
  deliveries: (endpointId: string, query: { status?: string; event_type?: string; created_after?: string; cursor?: string | null }) =>
    json<Page<Delivery>>('GET', `/webhooks/${id(endpointId)}/deliveries`, { query: { ...query, limit: 100 } }),
  delivery: (endpointId: string, deliveryId: string) =>
    json<Delivery & { payload: unknown }>('GET', `/webhooks/${id(endpointId)}/deliveries/${id(deliveryId)}`),
  replay: (endpointId: string, deliveryId: string) => json<Delivery>('POST', `/webhooks/${id(endpointId)}/deliveries/${id(deliveryId)}/replay`),
};

// ---- Team ----

export interface Member {
  id: string;
  name: string;
  email: string;
  role: Role;
  created_at: string;
  updated_at: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  created_at: string;
  expires_at: string;
}

export const team = {
  members: () => json<Page<Member>>('GET', '/members', { query: { limit: 100 } }),
  updateMember: (memberId: string, body: { role?: Role; name?: string }) => json<Member>('PATCH', `/members/${id(memberId)}`, { body }),
  removeMember: (memberId: string) => json<unknown>('DELETE', `/members/${id(memberId)}`),
  transferOwnership: (memberId: string) => json<unknown>('POST', `/members/${id(memberId)}/transfer-ownership`),
  invitations: () => json<{ data: Invitation[] }>('GET', '/invitations'),
  invite: (body: { email: string; role: Role }) => json<Invitation & { url: string; mailed: boolean }>('POST', '/invitations', { body }),
  revokeInvitation: (invitationId: string) => json<unknown>('DELETE', `/invitations/${id(invitationId)}`),
  resendInvitation: (invitationId: string) => json<Invitation & { url: string; mailed: boolean }>('POST', `/invitations/${id(invitationId)}/resend`),
  leave: () => json<unknown>('POST', '/workspace/leave'),
};

// ---- Audit log ----

export interface AuditEntry {
  id: string;
  action: string;
  actor_type: 'api_key' | 'user' | 'system';
  actor_key_id: string | null;
  actor_user_id: string | null;
  resource_type: string;
  resource_id: string | null;
  request_id: string | null;
  changes: Record<string, { before: unknown; after: unknown }>;
  created_at: string;
}

export interface AuditFilters {
  action?: string;
  actor_type?: string;
  actor_key_id?: string;
  actor_user_id?: string;
  resource_type?: string;
  resource_id?: string;
  start?: string;
  end?: string;
}

export const audit = {
  list: (filters: AuditFilters, cursor?: string | null) => json<Page<AuditEntry>>('GET', '/audit-logs', { query: { ...filters, limit: 50, cursor } }),
};

// ---- Usage ----

export interface UsageMetrics {
  requests: number;
  status_classes: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  errors: number;
  rate_limited: number;
  latency_ms: { p50: number | null; p95: number | null; avg: number | null };
}

export interface UsageReport {
  start: string;
  end: string;
  interval: 'minute' | 'hour' | 'day';
  totals: UsageMetrics;
  timeseries: (UsageMetrics & { start: string })[];
  keys: (UsageMetrics & { key_id: string; name: string | null; prefix: string | null })[];
  endpoints: (UsageMetrics & { method: string; route: string })[];
  statuses: (UsageMetrics & { status: number })[];
}

export const usage = {
  report: (query: { start?: string; end?: string; interval: string; key_id?: string; route?: string }) =>
    json<UsageReport>('GET', '/usage', { query }),
};

// ---- Workspace ----

export interface Workspace {
  id: string;
  name: string;
  default_domain: string;
  plan: { name: string; max_links: number | null; max_clicks_per_month: number | null; rate_limit_per_key: number | null };
  usage: {
    mode: Mode;
    period_start: string;
    period_end: string;
    links: number;
    links_remaining: number | null;
    clicks_this_month: number;
    clicks_remaining: number | null;
  };
  created_at: string;
  updated_at: string;
}

export const workspace = {
  get: () => json<Workspace>('GET', '/workspace'),
  update: (body: { name?: string; default_domain?: string | null }) => json<Workspace>('PATCH', '/workspace', { body }),
};

export const changePassword = (body: { current_password: string; new_password: string }) => json<void>('POST', '/auth/password', { body });
