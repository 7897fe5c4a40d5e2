import { ApiError } from '../support/errors';
import type { Mode, Scope } from './scopes';

/** Who performs a change: an API key or a signed-in user (with the request that carried it), or the engine itself. */
export interface Actor {
  workspaceId: string;
  mode: Mode;
  keyId: string | null;
  /** The signed-in user (dashboard session) acting; absent or null for keys and the engine. */
  userId?: string | null;
  requestId: string | null;
  scopes: readonly Scope[];
}

export const systemActor = (workspaceId: string, mode: Mode = 'live'): Actor => ({
  workspaceId,
  mode,
  keyId: null,
  requestId: null,
  scopes: ['admin'],
});

/**
 * Workspace settings — its name and default domain, plan, custom domains, members and invitations — exist once, for
 * both modes: they are live settings. A test key reads them but changes none of them (403).
 */
export function refuseTestMode(actor: Actor, what: string): void {
  if (actor.mode === 'test') throw new ApiError('forbidden', `A test key cannot change ${what}: they are live settings, shared by both modes. Use a live admin key.`);
}
