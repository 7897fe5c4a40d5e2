import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, auth, configure, setUnauthorizedHandler, type Session } from './api';
import { Loading } from './components/Loading';
import { Toasts, toast } from './components/Toasts';
import { currentLocation, navigate, onLinkClick, useLocation } from './router';
import { Invite } from './screens/Invite';
import { Setup } from './screens/Setup';
import { primeLinks } from './screens/Links';
import { Shell } from './screens/Shell';
import { SignIn } from './screens/SignIn';
import { AppContext, pickWorkspace, rememberWorkspace, type AppState } from './session';

// Asked for as the script starts, not after the first paint: every signed-in screen waits on this answer.
let firstSession: Promise<Session> | null = auth.session();
firstSession.catch(() => undefined); // answered by load() below; a 401 here is no unhandled error

export function App() {
  const location = useLocation();
  // undefined: still asking the server; null: signed out.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [workspaceId, setWorkspaceId] = useState('');
  const [loadError, setLoadError] = useState('');

  const signedIn = useCallback((next: Session) => {
    const workspace = pickWorkspace(next);
    if (['', 'links', 'login'].includes(currentLocation().path)) primeLinks(workspace);
    setWorkspaceId(workspace);
    setSession(next);
  }, []);

  const load = useCallback(() => {
    setLoadError('');
    const request = firstSession ?? auth.session();
    firstSession = null;
    request
      .then(signedIn)
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setSession(null);
        else setLoadError(error instanceof Error ? error.message : String(error));
      });
  }, [signedIn]);

  useEffect(() => {
    load();
    setUnauthorizedHandler(() => {
      configure({ csrf: '' });
      setSession((previous) => {
        if (previous) toast('Your session has ended. Please sign in again.', 'error');
        return null;
      });
    });
    document.addEventListener('click', onLinkClick);
    return () => {
      setUnauthorizedHandler(null);
      document.removeEventListener('click', onLinkClick);
    };
  }, [load]);

  const state = useMemo<AppState | null>(() => {
    if (!session) return null;
    const workspace = session.workspaces.find((ws) => ws.id === workspaceId) ?? session.workspaces[0];
    const role = workspace?.role ?? 'viewer';
    return {
      session,
      workspaceId: workspace?.id ?? workspaceId,
      role,
      canWrite: role !== 'viewer',
      isAdmin: role === 'owner' || role === 'admin',
      switchWorkspace: (id: string) => {
        rememberWorkspace(id);
        configure({ workspace: id });
        setWorkspaceId(id);
      },
      signOut: async () => {
        try {
          await auth.logout();
        } catch (error) {
          if (!(error instanceof ApiError && error.status === 401)) {
            toast(error instanceof Error ? error.message : 'Sign-out failed', 'error');
            return;
          }
        }
        configure({ csrf: '' });
        setSession(null);
        navigate('login', { replace: true });
      },
    };
  }, [session, workspaceId]);

  const [head, token] = location.path.split('/');
  let screen;
  if (head === 'setup') {
    screen = <Setup token={location.query.get('token') ?? ''} onSignedIn={signedIn} />;
  } else if (head === 'invite') {
    screen = <Invite token={decodeURIComponent(token ?? '')} onSignedIn={signedIn} />;
  } else if (loadError) {
    screen = (
      <main class="center-page" id="main">
        <div class="card narrow">
          <h1>MASK is unavailable</h1>
          <p role="alert">{loadError}</p>
          <button type="button" class="primary" onClick={load}>
            Try again
          </button>
        </div>
      </main>
    );
  } else if (session === undefined) {
    screen = (
      <main class="center-page" id="main">
        <Loading label="Loading your session…" rows={2} />
      </main>
    );
  } else if (session === null || !state) {
    screen = (
      <SignIn
        onSignedIn={(next) => {
          signedIn(next);
          if (head === 'login' || head === '') navigate('links', { replace: true });
        }}
      />
    );
  } else {
    screen = (
      <AppContext.Provider value={state}>
        <Shell location={location} />
      </AppContext.Provider>
    );
  }

  return (
    <>
      {screen}
      <Toasts />
    </>
  );
}
