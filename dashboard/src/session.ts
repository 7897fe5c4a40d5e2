import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { configure, type Role, type Session } from './api';

const WORKSPACE_KEY = 'mask.workspace';

export interface AppState {
  session: Session;
  workspaceId: string;
  role: Role;
  /** Viewers see no create, edit or delete controls. */
  canWrite: boolean;
  /** Owners and admins: keys, domains, members, usage, the audit log and workspace settings. */
  isAdmin: boolean;
  switchWorkspace: (id: string) => void;
  signOut: () => Promise<void>;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error('useApp outside a signed-in shell');
  return state;
}

function stored(): string | null {
  try {
    return localStorage.getItem(WORKSPACE_KEY);
  } catch {
    return null;
  }
}

export function rememberWorkspace(id: string): void {
  try {
    localStorage.setItem(WORKSPACE_KEY, id);
  } catch {
    // Private mode: the choice lasts until the page is reloaded.
  }
}

/** The remembered workspace if the user still belongs to it, else the session's own; applied to the API headers. */
export function pickWorkspace(session: Session): string {
  // A fresh browser's first localStorage read takes tens of milliseconds; with one workspace there is no choice to read.
  const remembered = session.workspaces.length > 1 ? stored() : null;
  const id = session.workspaces.some((ws) => ws.id === remembered) ? (remembered as string) : session.workspace_id;
  configure({ csrf: session.csrf_token, workspace: id });
  return id;
}
