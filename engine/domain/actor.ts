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
