import { useEffect, useRef } from 'preact/hooks';
import { lazy } from '../components/Lazy';
import { href, navigate, type Location } from '../router';
import { useApp } from '../session';
import { Links } from './Links';

type ScreenProps = { id?: string };

// Every screen but Links (the first one) is its own chunk, fetched when first opened.
const Analytics = lazy<{ linkId?: string }>(() => import('./Analytics').then((module) => ({ default: module.Analytics })));
const Account = lazy<Record<string, never>>(() => import('./Account').then((module) => ({ default: module.Account })));
const Pages = lazy<ScreenProps>(() => import('./Pages'));
const Domains = lazy<ScreenProps>(() => import('./Domains'));
const Keys = lazy<ScreenProps>(() => import('./Keys'));
const Webhooks = lazy<ScreenProps>(() => import('./Webhooks'));
const Team = lazy<ScreenProps>(() => import('./Team'));
const Audit = lazy<ScreenProps>(() => import('./Audit'));
const Usage = lazy<ScreenProps>(() => import('./Usage'));
const Settings = lazy<ScreenProps>(() => import('./Settings'));
const Transfer = lazy<ScreenProps>(() => import('./Transfer'));
const Routing = lazy<ScreenProps>(() => import('./Routing'));
const Campaigns = lazy<ScreenProps>(() => import('./Campaigns'));
const Conversions = lazy<ScreenProps>(() => import('./Conversions'));

/** `admin`: only for owners and admins (the API refuses the others, so the screen is not offered). */
const NAV = [
  { path: 'links', label: 'Links' },
  { path: 'analytics', label: 'Analytics' },
  { path: 'campaigns', label: 'Campaigns' },
  { path: 'conversions', label: 'Conversions' },
  { path: 'pages', label: 'Bio pages' },
  { path: 'transfer', label: 'Import / export' },
  { path: 'domains', label: 'Domains', admin: true },
  { path: 'keys', label: 'API keys', admin: true },
  { path: 'webhooks', label: 'Webhooks' },
  { path: 'team', label: 'Team' },
  { path: 'audit', label: 'Audit log', admin: true },
  { path: 'usage', label: 'Usage', admin: true },
  { path: 'settings', label: 'Settings' },
  { path: 'account', label: 'Account' },
];

/** `withId`: the screen also answers `<path>/<id>` (a bio page's editor, a campaign's analytics). */
const SCREENS: Record<string, { screen: preact.ComponentType<ScreenProps>; withId?: true }> = {
  pages: { screen: Pages, withId: true },
  domains: { screen: Domains },
  keys: { screen: Keys },
  webhooks: { screen: Webhooks },
  team: { screen: Team },
  audit: { screen: Audit },
  usage: { screen: Usage },
  settings: { screen: Settings },
  transfer: { screen: Transfer },
  campaigns: { screen: Campaigns, withId: true },
  conversions: { screen: Conversions },
};

export function Shell({ location }: { location: Location }) {
  const app = useApp();
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.path);
  const [head, id, sub] = location.path.split('/');

  useEffect(() => {
    if (head === '' || head === 'login') navigate('links', { replace: true });
  }, [head]);

  // After an in-app navigation, move focus to the new content so keyboard and screen-reader users start there.
  useEffect(() => {
    if (location.path !== firstPath.current) {
      mainRef.current?.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    firstPath.current = '\0';
  }, [location.path]);

  let screen;
  let section = head;
  if (head === 'links' && id && sub === 'analytics') {
    screen = <Analytics linkId={decodeURIComponent(id)} />;
    section = 'analytics';
  } else if (head === 'links' && id && sub === 'routing') {
    screen = <Routing id={decodeURIComponent(id)} />;
    section = 'links';
  } else if (head === 'links' && !id) screen = <Links />;
  else if (head === 'analytics' && !id) screen = <Analytics />;
  else if (head === 'account' && !id) screen = <Account />;
  else if (SCREENS[head] && (!id || SCREENS[head].withId)) {
    const Screen = SCREENS[head].screen;
    screen = <Screen id={id ? decodeURIComponent(id) : undefined} />;
  }
  else if (head === '' || head === 'login') screen = null;
  else
    screen = (
      <div class="page-head">
        <h1>Page not found</h1>
        <p>
          Nothing lives at this address. <a href="links">Go to your links</a>.
        </p>
      </div>
    );

  const workspace = app.session.workspaces.find((ws) => ws.id === app.workspaceId);

  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => (e.preventDefault(), mainRef.current?.focus())}>
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href="links" aria-label="MASK, links">
          MASK
        </a>
        <div class="workspace">
          <label for="workspace-switcher" class="visually-hidden">
            Workspace
          </label>
          {app.session.workspaces.length > 1 ? (
            <select id="workspace-switcher" value={app.workspaceId} onChange={(e) => app.switchWorkspace(e.currentTarget.value)}>
              {app.session.workspaces.map((ws) => (
                <option value={ws.id} key={ws.id}>
                  {ws.name} ({ws.role})
                </option>
              ))}
            </select>
          ) : (
            <output id="workspace-switcher" class="workspace-name">
              {workspace?.name} <span class="muted">({app.role})</span>
            </output>
          )}
        </div>
        <div class="user">
          <span class="user-name">{app.session.user.name || app.session.user.email}</span>
          <button type="button" class="small" onClick={() => void app.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="nav" aria-label="Main">
        <ul>
          {NAV.filter((item) => !item.admin || app.isAdmin).map((item) => (
            <li key={item.path}>
              <a href={href(item.path)} aria-current={section === item.path ? 'page' : undefined}>
                {item.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} key={app.workspaceId}>
        {screen}
      </main>
    </div>
  );
}
