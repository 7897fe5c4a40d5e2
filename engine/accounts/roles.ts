import type { Role } from '../domain/members';
import type { Scope } from '../domain/scopes';

const READS: Scope[] = ['links:read', 'analytics:read', 'pages:read', 'webhooks:read', 'team:read'];

/**
 * What each workspace role may do through the API, as API scopes: the one table both the dashboard (sessions) and
 * the README use. `admin` implies every scope, including keys, domains, members, invitations, usage and the audit log.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  owner: ['admin'],
  admin: ['admin'],
  member: [...READS, 'links:write', 'pages:write', 'conversions:write'],
  viewer: READS,
};

export const scopesOfRole = (role: Role): readonly Scope[] => ROLE_SCOPES[role];
