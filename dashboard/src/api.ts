/**
 * The only module that talks to the server. Every call goes to `<origin>/api/v1/…` with the session cookie, the
 * selected workspace in `X-Mask-Workspace`, and, on state-changing methods, `X-CSRF-Token`.
 */

export const API_ROOT = '/api/v1';

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** Messages by form field: `tags.2` counts as `tags`; anything without a field of the form goes under `''`. */
  fieldErrors(fields: readonly string[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const detail of this.details) {
      const head = detail.field.split('.')[0];
      const key = fields.includes(head) ? head : '';
      const text = key === '' && detail.field && detail.field !== 'body' ? `${detail.field}: ${detail.message}` : detail.message;
      out[key] = out[key] ? `${out[key]} ${text}` : text;
    }
    return out;
  }
}

// ---- Shapes (engine/contracts/*.ts and the session contract) ----

export type Role = 'owner' | 'admin' | 'member' | 'viewer';

export interface Session {
  user: { id: string; email: string; name: string };
  workspaces: { id: string; name: string; role: Role }[];
  workspace_id: string;
  csrf_token: string;
}

export interface Link {
  id: string;
  url: string;
  short_url: string;
  slug: string;
  domain: string;
  title: string | null;
  tags: string[];
  clicks: number;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  starts_at: string | null;
  expires_at: string | null;
  max_clicks: number | null;
  password_protected: boolean;
  ios_target: string | null;
  android_target: string | null;
  notes: string | null;
  folder_id?: string | null;
  campaign_id?: string | null;
  pixel_ids?: string[];
  created_at: string;
  updated_at: string;
}

/** The writable fields of a link (POST /links, PATCH /links/:id). `password` is write-only. */
export interface LinkInput {
  url?: string;
  slug?: string | null;
  domain?: string | null;
  title?: string | null;
  tags?: string[] | null;
  utm_source?: string | null;
  utm_medium?: string | null;
  utm_campaign?: string | null;
  starts_at?: string | null;
  expires_at?: string | null;
  max_clicks?: number | null;
  password?: string | null;
  ios_target?: string | null;
  android_target?: string | null;
  notes?: string | null;
  folder_id?: string | null;
  campaign_id?: string | null;
  utm_template_id?: string;
  pixel_ids?: string[];
}

export interface Page<T> {
  data: T[];
  pagination: { has_more: boolean; cursor: string | null };
}

export interface Domain {
  id: string;
  hostname: string;
  is_default: boolean;
  secure: boolean;
  created_at: string;
}

export interface Me {
  workspace: { id: string; name: string; default_domain: string };
}

export type GroupBy = 'timeseries' | 'referrer' | 'country' | 'device' | 'browser' | 'os' | 'link' | 'rule' | 'variant';
export type Interval = 'hour' | 'day' | 'week' | 'month';

export interface Counts {
  clicks: number;
  unique_visitors: number;
}

export interface AnalyticsReport<Item> {
  group_by: GroupBy;
  interval: Interval;
  timezone: string;
  start: string;
  end: string;
  totals: Counts;
  data: Item[];
}

export type SeriesPoint = Counts & { start: string };
export type Group = Counts & { value: string | null };

export interface SessionInfo {
  id: string;
  created_at: string;
  last_seen_at: string | null;
  user_agent: string | null;
  ip: string | null;
  current: boolean;
}

export interface BulkResult {
  data: Link[];
  errors: { index: number; error: { code: string; message: string; details?: FieldError[] } }[];
}

// ---- Transport ----

type Query = Record<string, string | number | boolean | undefined | null>;

const state = { csrf: '', workspace: '' };
let onUnauthorized: (() => void) | null = null;

/** Called after sign-in and on workspace switches. */
export function configure(next: { csrf?: string; workspace?: string }): void {
  if (next.csrf !== undefined) state.csrf = next.csrf;
  if (next.workspace !== undefined) state.workspace = next.workspace;
}

/** Called when a signed-in call answers 401 (the session ended elsewhere or expired). */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export function apiPath(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return `${API_ROOT}${path}${text ? `?${text}` : ''}`;
}

interface Options {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in style calls: a 401 is an answer, not a lost session. */
  anonymous?: boolean;
  /** Internal: already sent again with a fresh CSRF token. */
  retried?: boolean;
  /** `test`: the workspace's test data (X-Mask-Mode), e.g. test keys; default live. */
  mode?: 'live' | 'test';
}

/**
 * The session's CSRF token as the server has it now, or null. A sign-in in another tab (or accepting an invitation)
 * replaces the session cookie every tab shares, and with it the token this tab holds.
 */
async function currentCsrf(): Promise<string | null> {
  try {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (state.workspace) headers['X-Mask-Workspace'] = state.workspace;
    const response = await fetch(apiPath('/auth/session'), { headers, credentials: 'same-origin' });
    if (!response.ok) return null;
    const session = (await response.json()) as Partial<Session>;
    return typeof session.csrf_token === 'string' ? session.csrf_token : null;
  } catch {
    return null;
  }
}

async function send(method: string, path: string, options: Options = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (state.workspace) headers['X-Mask-Workspace'] = state.workspace;
  if (options.mode) headers['X-Mask-Mode'] = options.mode;
  const write = method !== 'GET' && method !== 'HEAD';
  const csrf = state.csrf;
  if (write && csrf) headers['X-CSRF-Token'] = csrf;
  // A FormData body (a file upload) sets its own multipart Content-Type.
  const form = options.body instanceof FormData;
  if (options.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(apiPath(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : form ? (options.body as FormData) : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'The server could not be reached. Check your connection and try again.');
  }
  if (response.ok) return response;
  // A refused write with a token the session no longer has: once more with the current one.
  if (response.status === 403 && write && csrf && !options.retried) {
    const fresh = await currentCsrf();
    if (fresh && fresh !== csrf) {
      state.csrf = fresh;
      return send(method, path, { ...options, retried: true });
    }
  }
  throw await errorOf(response, options.anonymous === true);
}

async function errorOf(response: Response, anonymous: boolean): Promise<ApiError> {
  let envelope: { error?: { code?: string; message?: string; details?: FieldError[]; retry_after?: number } } = {};
  try {
    envelope = await response.json();
  } catch {
    // Not JSON (a proxy's page): fall back to the status.
  }
  const error = envelope.error ?? {};
  if (response.status === 401 && !anonymous && onUnauthorized) onUnauthorized();
  const retryHeader = Number(response.headers.get('Retry-After'));
  return new ApiError(
    response.status,
    error.code ?? `http_${response.status}`,
    error.message ?? `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.'),
    Array.isArray(error.details) ? error.details : [],
    error.retry_after ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined),
  );
}

export async function json<T>(method: string, path: string, options?: Options): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A binary answer (QR image, CSV export) as a Blob, with the same headers as every other call. */
export async function blob(path: string, query?: Query, signal?: AbortSignal): Promise<Blob> {
  const response = await send('GET', path, { query, signal });
  return response.blob();
}

// ---- Endpoints ----

export const auth = {
  session: () => json<Session>('GET', '/auth/session', { anonymous: true }),
  login: (email: string, password: string) => json<Session>('POST', '/auth/login', { body: { email, password }, anonymous: true }),
  logout: () => json<void>('POST', '/auth/logout', { anonymous: true }),
  checkSetup: (token: string) => json<{ valid: boolean; kind?: 'setup' | 'password_reset' }>('GET', '/auth/setup', { query: { token }, anonymous: true }),
  setup: (body: { token: string; email: string; name: string; password: string }) =>
    json<Session>('POST', '/auth/setup', { body, anonymous: true }),
  invitation: (token: string) =>
    json<{ email: string; workspace_name: string; role: Role }>('GET', `/auth/invitations/${encodeURIComponent(token)}`, { anonymous: true }),
  acceptInvitation: (token: string, body: { name: string; password: string }) =>
    json<Session>('POST', `/auth/invitations/${encodeURIComponent(token)}/accept`, { body, anonymous: true }),
  oidc: () => json<{ enabled: boolean; label: string }>('GET', '/auth/oidc', { anonymous: true }),
  oidcStartUrl: () => apiPath('/auth/oidc/start'),
  sessions: () => json<{ data: SessionInfo[] }>('GET', '/auth/sessions'),
  revokeSession: (id: string) => json<void>('DELETE', `/auth/sessions/${encodeURIComponent(id)}`),
  revokeOthers: () => json<void>('POST', '/auth/sessions/revoke-others'),
};

export interface LinkFilters {
  search?: string;
  tag?: string;
  domain?: string;
  created_after?: string;
  created_before?: string;
  folder_id?: string;
  sort?: 'created_at' | 'clicks' | 'updated_at';
  order?: 'asc' | 'desc';
}

/** A resource id as one path segment. */
export const id = (value: string) => encodeURIComponent(value);

export const links = {
  list: (filters: LinkFilters, cursor?: string | null, signal?: AbortSignal) =>
    json<Page<Link>>('GET', '/links', { query: { ...filters, limit: 25, cursor }, signal }),
  get: (linkId: string) => json<Link>('GET', `/links/${id(linkId)}`),
  create: (body: LinkInput) => json<Link>('POST', '/links', { body }),
  update: (linkId: string, body: LinkInput) => json<Link>('PATCH', `/links/${id(linkId)}`, { body }),
  remove: (linkId: string) => json<{ deleted: true; id: string }>('DELETE', `/links/${id(linkId)}`),
  bulkCreate: (items: LinkInput[]) => json<BulkResult>('POST', '/links/bulk', { body: { links: items } }),
  bulkUpdate: (ids: string[], patch: LinkInput) => json<BulkResult>('PATCH', '/links/bulk', { body: { ids, patch } }),
  bulkRemove: (ids: string[]) => json<BulkResult>('DELETE', '/links/bulk', { body: { ids } }),
  qrPath: (linkId: string) => `/links/${id(linkId)}/qr`,
};

export const domains = {
  list: () => json<Page<Domain>>('GET', '/domains', { query: { limit: 100 } }),
};

export const me = () => json<Me>('GET', '/me');

export interface AnalyticsQuery {
  link_id?: string;
  start?: string;
  end?: string;
  timezone?: string;
  interval?: Interval;
}

export const analytics = {
  series: (query: AnalyticsQuery, signal?: AbortSignal) =>
    json<AnalyticsReport<SeriesPoint>>('GET', '/analytics', { query: { ...query, group_by: 'timeseries' }, signal }),
  breakdown: (query: AnalyticsQuery, groupBy: Exclude<GroupBy, 'timeseries'>, signal?: AbortSignal) =>
    json<AnalyticsReport<Group>>('GET', '/analytics', {
      query: { ...query, group_by: groupBy, limit: 10 },
      signal,
    }),
  exportCsv: (query: AnalyticsQuery) =>
    blob('/analytics/export', { link_id: query.link_id, start: query.start, end: query.end, timezone: query.timezone, format: 'csv' }),
};
