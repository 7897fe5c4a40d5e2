import { useEffect, useState } from 'preact/hooks';

/**
 * A tiny path router under the mount path. The mount path is the pathname of the document's base URL, i.e. the
 * `<base href>` the server writes into index.html (default `/app/`).
 */
export const BASE_PATH: string = (() => {
  const path = new URL(document.baseURI).pathname;
  return path.endsWith('/') ? path : `${path}/`;
})();

export interface Location {
  /** Path below the mount path, without a leading slash: `links`, `invite/abc`, `` for the root. */
  path: string;
  query: URLSearchParams;
}

export function currentLocation(): Location {
  const { pathname, search } = window.location;
  const inside = pathname.startsWith(BASE_PATH) ? pathname.slice(BASE_PATH.length) : pathname === BASE_PATH.slice(0, -1) ? '' : pathname.replace(/^\//, '');
  return { path: inside.replace(/\/+$/, ''), query: new URLSearchParams(search) };
}

const listeners = new Set<() => void>();

/** The address of an in-app path, for `href`s. */
export function href(path: string): string {
  return BASE_PATH + path.replace(/^\//, '');
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path);
  if (target === window.location.pathname + window.location.search) return;
  if (options.replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  for (const listener of listeners) listener();
}

window.addEventListener('popstate', () => {
  for (const listener of listeners) listener();
});

export function useLocation(): Location {
  const [location, setLocation] = useState(currentLocation);
  useEffect(() => {
    const update = () => setLocation(currentLocation());
    listeners.add(update);
    return () => void listeners.delete(update);
  }, []);
  return location;
}

/** Left clicks on in-app anchors navigate without reloading; modified clicks keep the browser's behaviour. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, document.baseURI);
  if (url.origin !== window.location.origin || !url.pathname.startsWith(BASE_PATH)) return;
  event.preventDefault();
  navigate(url.pathname.slice(BASE_PATH.length) + url.search);
}
