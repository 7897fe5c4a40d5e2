import type { Role } from '../domain/members';
import type { Scope } from '../domain/scopes';

/** A signed-in user acting in one of their workspaces, through a dashboard session. */
export interface SessionPrincipal {
  userId: string;
  email: string;
  name: string;
  /** The public id of the session (`ses_…`). */
  sessionId: string;
  /** The workspace chosen by `X-Mask-Workspace` (default: the first membership) and the user's role in it. */
  workspaceId: string;
  role: Role;
  scopes: readonly Scope[];
  csrfToken: string;
}
