export const SCOPES = [
  'links:read',
  'links:write',
  'analytics:read',
  'pages:read',
  'pages:write',
  'webhooks:read',
  'webhooks:write',
  'team:read',
  'admin',
] as const;

export type Scope = (typeof SCOPES)[number];
export type Mode = 'live' | 'test';

export const hasScope = (granted: readonly string[], required: Scope): boolean =>
  granted.includes('admin') || granted.includes(required);
