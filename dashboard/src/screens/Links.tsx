import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { domains, links, me, type BulkResult, type Link, type LinkFilters, type Page } from '../api';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { describe, Field } from '../components/Field';
import { lazy } from '../components/Lazy';
import { Empty, Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { displayUrl, formatDate, formatDateTime, formatNumber, linkStatus, localMidnight } from '../format';
import { href } from '../router';
import { useApp } from '../session';
import { errorText } from './SignIn';

// The link form and the QR dialog are fetched when first opened, which keeps the first screen's script small.
const LinkForm = lazy<{ link?: Link; domainOptions: string[]; onSaved: (link: Link, created: boolean) => void; onClose: () => void }>(() =>
  import('../components/LinkForm').then((m) => ({ default: m.LinkForm })),
);
const QrDialog = lazy<{ link: Link; onClose: () => void }>(() => import('../components/QrDialog').then((m) => ({ default: m.QrDialog })));
// Folders are their own chunk: the tree and the bulk "move" control load after the list.
const FolderTree = lazy<{ current: string; onChoose: (folderId: string) => void; canWrite: boolean }>(() => import('../components/FolderPanel').then((m) => ({ default: m.FolderTree })));
const MoveToFolder = lazy<{ ids: string[]; onMoved: (changed: Link[], folderId: string | null) => void }>(() =>
  import('../components/FolderPanel').then((m) => ({ default: m.MoveToFolder })),
);

const SORTS = {
  'created_at:desc': 'Newest first',
  'created_at:asc': 'Oldest first',
  'clicks:desc': 'Most clicks',
  'clicks:asc': 'Fewest clicks',
  'updated_at:desc': 'Recently updated',
} as const;
type SortKey = keyof typeof SORTS;

interface Filters {
  search: string;
  tag: string;
  domain: string;
  from: string;
  to: string;
  folder: string;
  sort: SortKey;
}

const NO_FILTERS: Filters = { search: '', tag: '', domain: '', from: '', to: '', folder: '', sort: 'created_at:desc' };

function query(filters: Filters): LinkFilters {
  const [sort, order] = filters.sort.split(':') as [LinkFilters['sort'], LinkFilters['order']];
  return {
    search: filters.search.trim() || undefined,
    tag: filters.tag.trim() || undefined,
    domain: filters.domain.trim() || undefined,
    created_after: filters.from ? localMidnight(filters.from) : undefined,
    // The "to" date is inclusive in the form; the API's created_before is exclusive.
    created_before: filters.to ? localMidnight(filters.to, 1) : undefined,
    folder_id: filters.folder || undefined,
    sort,
    order,
  };
}

// The unfiltered first page, asked for as soon as the session is known rather than after the shell has rendered: a
// cold load of the links screen waits on nothing else. Taken once, by the screen's first load in that workspace.
let primed: { workspace: string; page: Promise<Page<Link>> } | null = null;

export function primeLinks(workspace: string): void {
  primed = { workspace, page: links.list(query(NO_FILTERS)) };
  primed.page.catch(() => undefined); // the screen handles the outcome
}

function takePrimed(workspace: string): Promise<Page<Link>> | null {
  const taken = primed?.workspace === workspace ? primed.page : null;
  primed = null;
  return taken;
}

type Modal =
  | { kind: 'create' }
  | { kind: 'edit'; link: Link }
  | { kind: 'qr'; link: Link }
  | { kind: 'delete'; links: Link[] };

/**
 * Runs one bulk call (`PATCH` or `DELETE /links/bulk`) per group of up to 100 links; answers the changed links and the
 * failures with the API's messages.
 */
async function inBulk(targets: Link[], call: (ids: string[]) => Promise<BulkResult>): Promise<{ done: Link[]; failures: { item: Link; message: string }[] }> {
  const done: Link[] = [];
  const failures: { item: Link; message: string }[] = [];
  for (let at = 0; at < targets.length; at += 100) {
    const group = targets.slice(at, at + 100);
    try {
      const result = await call(group.map((link) => link.id));
      done.push(...result.data);
      for (const failure of result.errors) failures.push({ item: group[failure.index], message: failure.error.message });
    } catch (error) {
      for (const item of group) failures.push({ item, message: errorText(error) });
    }
  }
  return { done, failures };
}

export function Links() {
  const app = useApp();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [searchText, setSearchText] = useState('');
  const [items, setItems] = useState<Link[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [modal, setModal] = useState<Modal | null>(null);
  const [bulkTag, setBulkTag] = useState('');
  const [busy, setBusy] = useState(false);
  const [domainOptions, setDomainOptions] = useState<string[]>([]);
  const [reload, setReload] = useState(0);
  const loadRef = useRef<AbortController | null>(null);

  // The first screen's requests start as soon as it is rendered (layout effects), not a frame later: it waits on them.
  useLayoutEffect(() => {
    document.title = 'Links · MASK';
    if (app.canWrite) LinkForm.preload(); // so that "New link" opens at once
    // Suggestions for the domain filter and form: the default domain (any role) and custom domains (admins).
    Promise.allSettled([me(), domains.list()]).then(([mine, custom]) => {
      const hosts = new Set<string>();
      if (mine.status === 'fulfilled') hosts.add(mine.value.workspace.default_domain);
      if (custom.status === 'fulfilled') for (const domain of custom.value.data) hosts.add(domain.hostname);
      setDomainOptions([...hosts]);
    });
  }, []);

  // The search box waits for a pause in typing.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((current) => (current.search === searchText ? current : { ...current, search: searchText })), 300);
    return () => clearTimeout(timer);
  }, [searchText]);

  useLayoutEffect(() => {
    loadRef.current?.abort();
    const controller = new AbortController();
    loadRef.current = controller;
    setLoading(true);
    setError('');
    const first = filters === NO_FILTERS && reload === 0 ? takePrimed(app.workspaceId) : null;
    (first ?? links.list(query(filters), null, controller.signal)).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.data);
        setCursor(page.pagination.cursor);
        setHasMore(page.pagination.has_more);
        setSelected(new Set());
        setLoading(false);
      },
      (caught) => {
        if (controller.signal.aborted) return;
        setError(errorText(caught));
        setItems([]);
        setHasMore(false);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [filters, reload]);

  const loadMore = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await links.list(query(filters), cursor);
      setItems((current) => [...current, ...page.data]);
      setCursor(page.pagination.cursor);
      setHasMore(page.pagination.has_more);
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setLoadingMore(false);
    }
  };

  const set = (key: keyof Filters) => (event: Event) => setFilters({ ...filters, [key]: (event.currentTarget as HTMLInputElement).value });
  const filtered = Object.entries(filters).some(([key, value]) => key !== 'sort' && value !== '');

  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const allSelected = items.length > 0 && items.every((link) => selected.has(link.id));
  const chosen = items.filter((link) => selected.has(link.id));

  const saved = (link: Link, created: boolean) => {
    setModal(null);
    if (created) {
      setItems((current) => [link, ...current]);
      toast(`Created ${link.short_url}`);
    } else {
      setItems((current) => current.map((item) => (item.id === link.id ? link : item)));
      toast('Link saved');
    }
  };

  const remove = async (targets: Link[]) => {
    setBusy(true);
    const { failures } = await inBulk(targets, (ids) => links.bulkRemove(ids));
    const failed = new Set(failures.map((failure) => failure.item.id));
    setItems((current) => current.filter((link) => !targets.some((target) => target.id === link.id) || failed.has(link.id)));
    setSelected(new Set([...failed]));
    setBusy(false);
    setModal(null);
    const done = targets.length - failures.length;
    if (failures.length === 0) toast(done === 1 ? 'Link deleted' : `Deleted ${done} links`);
    else toast(`Deleted ${done} of ${targets.length} links. Not deleted: ${failures.map((f) => `${f.item.slug} (${f.message})`).join('; ')}`, 'error');
  };

  const addTag = async (event: Event) => {
    event.preventDefault();
    const tag = bulkTag.trim();
    if (!tag || chosen.length === 0) return;
    setBusy(true);
    const updated = new Map<string, Link>();
    const targets = chosen.filter((link) => !link.tags.includes(tag));
    // One PATCH /links/bulk per distinct resulting tag list (links with the same tags share one call).
    const byTags = new Map<string, Link[]>();
    for (const link of targets) {
      const key = JSON.stringify([...link.tags, tag]);
      byTags.set(key, [...(byTags.get(key) ?? []), link]);
    }
    const failures: { item: Link; message: string }[] = [];
    for (const [key, group] of byTags) {
      const result = await inBulk(group, (ids) => links.bulkUpdate(ids, { tags: JSON.parse(key) as string[] }));
      for (const link of result.done) updated.set(link.id, link);
      failures.push(...result.failures);
    }
    setItems((current) => current.map((link) => updated.get(link.id) ?? link));
    setBusy(false);
    setBulkTag('');
    const already = chosen.length - targets.length;
    const summary = `Tagged ${updated.size} link${updated.size === 1 ? '' : 's'} “${tag}”${already ? ` (${already} already had it)` : ''}.`;
    if (failures.length === 0) toast(summary);
    else toast(`${summary} Failed: ${failures.map((f) => `${f.item.slug} (${f.message})`).join('; ')}`, 'error');
  };

  return (
    <>
      <div class="page-head">
        <h1>Links</h1>
        {app.canWrite && (
          <button type="button" class="primary" onClick={() => setModal({ kind: 'create' })}>
            New link
          </button>
        )}
      </div>

      <FolderTree current={filters.folder} canWrite={app.canWrite} onChoose={(folder) => setFilters({ ...filters, folder })} />

      <form class="filters" role="search" aria-label="Filter links" onSubmit={(e) => e.preventDefault()}>
        <Field id="filter-search" label="Search" class="grow">
          <input {...describe('filter-search')} type="search" placeholder="URL, slug or title" value={searchText} onInput={(e) => setSearchText(e.currentTarget.value)} />
        </Field>
        <Field id="filter-tag" label="Tag">
          <input {...describe('filter-tag')} value={filters.tag} onChange={set('tag')} autocomplete="off" />
        </Field>
        <Field id="filter-domain" label="Domain">
          <input {...describe('filter-domain')} list="filter-domain-options" value={filters.domain} onChange={set('domain')} autocomplete="off" />
          <datalist id="filter-domain-options">
            {domainOptions.map((host) => (
              <option value={host} key={host} />
            ))}
          </datalist>
        </Field>
        <Field id="filter-from" label="Created from">
          <input {...describe('filter-from')} type="date" value={filters.from} onChange={set('from')} />
        </Field>
        <Field id="filter-to" label="Created to">
          <input {...describe('filter-to')} type="date" value={filters.to} onChange={set('to')} />
        </Field>
        <Field id="filter-sort" label="Sort">
          <select {...describe('filter-sort')} value={filters.sort} onChange={set('sort')}>
            {Object.entries(SORTS).map(([value, label]) => (
              <option value={value} key={value}>
                {label}
              </option>
            ))}
          </select>
        </Field>
        {filtered && (
          <button
            type="button"
            class="reset"
            onClick={() => {
              setSearchText('');
              setFilters({ ...NO_FILTERS, sort: filters.sort });
            }}
          >
            Clear filters
          </button>
        )}
      </form>

      {app.canWrite && (
        <form class={`bulk ${chosen.length ? '' : 'bulk-idle'}`} aria-label="Selected links" onSubmit={addTag}>
          <p class="bulk-count" role="status">
            {chosen.length ? `${chosen.length} selected` : 'Select links for bulk actions'}
          </p>
          {chosen.length > 0 && (
            <>
              <label for="bulk-tag" class="visually-hidden">
                Tag to add to the selected links
              </label>
              <input id="bulk-tag" placeholder="Tag to add" value={bulkTag} onInput={(e) => setBulkTag(e.currentTarget.value)} autocomplete="off" />
              <button type="submit" disabled={busy || !bulkTag.trim()}>
                Add tag
              </button>
              <MoveToFolder
                ids={chosen.map((link) => link.id)}
                onMoved={(changed, folderId) => {
                  const byId = new Map(changed.map((link) => [link.id, link]));
                  // Links moved out of the folder being shown leave the list.
                  setItems((current) => current.map((link) => byId.get(link.id) ?? link).filter((link) => !filters.folder || !byId.has(link.id) || folderId === filters.folder));
                  setSelected(new Set());
                }}
              />
              <button type="button" class="danger" disabled={busy} onClick={() => setModal({ kind: 'delete', links: chosen })}>
                Delete selected
              </button>
              <button type="button" class="link-button" onClick={() => setSelected(new Set())}>
                Clear selection
              </button>
            </>
          )}
        </form>
      )}

      {error && (
        <div class="form-error" role="alert">
          <p>{error}</p>
          <button type="button" onClick={() => setReload(reload + 1)}>
            Try again
          </button>
        </div>
      )}

      {loading ? (
        <Loading label="Loading links…" rows={6} />
      ) : items.length === 0 && !error ? (
        filtered ? (
          <Empty title="No links match these filters.">
            <p class="muted">Try other words or clear the filters.</p>
          </Empty>
        ) : (
          <Empty title="No links yet.">
            {app.canWrite ? (
              <button type="button" class="primary" onClick={() => setModal({ kind: 'create' })}>
                Create your first link
              </button>
            ) : (
              <p class="muted">Links created by your team will appear here.</p>
            )}
          </Empty>
        )
      ) : (
        items.length > 0 && (
          <div class="table-wrap" role="region" aria-label="Links" tabIndex={0}>
            <table class="links-table">
              <caption class="visually-hidden">
                Links, {SORTS[filters.sort].toLowerCase()}
              </caption>
              <thead>
                <tr>
                  {app.canWrite && (
                    <th scope="col" class="col-check">
                      <input
                        type="checkbox"
                        aria-label="Select all links shown"
                        checked={allSelected}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((link) => link.id)))}
                      />
                    </th>
                  )}
                  <th scope="col">Short URL</th>
                  <th scope="col" class="destination">
                    Destination
                  </th>
                  <th scope="col" class="num">
                    Clicks
                  </th>
                  <th scope="col" class="col-created">
                    Created
                  </th>
                  <th scope="col" class="col-tags">
                    Tags
                  </th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((link) => (
                  <LinkRow
                    key={link.id}
                    link={link}
                    canWrite={app.canWrite}
                    selected={selected.has(link.id)}
                    onToggle={() => toggle(link.id)}
                    onTag={(tag) => setFilters({ ...filters, tag })}
                    onOpen={(kind) => setModal(kind === 'delete' ? { kind, links: [link] } : { kind, link })}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )
      )}

      <div class="more">
        {!loading && hasMore && (
          <button type="button" onClick={loadMore} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        )}
        {!loading && items.length > 0 && (
          <p class="muted" role="status">
            {items.length} link{items.length === 1 ? '' : 's'} shown{hasMore ? '' : ', no more'}
          </p>
        )}
      </div>

      {modal?.kind === 'create' && <LinkForm domainOptions={domainOptions} onSaved={saved} onClose={() => setModal(null)} />}
      {modal?.kind === 'edit' && <LinkForm link={modal.link} domainOptions={domainOptions} onSaved={saved} onClose={() => setModal(null)} />}
      {modal?.kind === 'qr' && <QrDialog link={modal.link} onClose={() => setModal(null)} />}
      {modal?.kind === 'delete' && (
        <Dialog title={modal.links.length === 1 ? 'Delete this link?' : `Delete ${modal.links.length} links?`} onClose={() => setModal(null)}>
          <p>
            {modal.links.length === 1 ? <strong>{displayUrl(modal.links[0].short_url)}</strong> : 'These short URLs'} will stop working at once. This
            cannot be undone; their click analytics stay in the workspace totals.
          </p>
          {modal.links.length > 1 && (
            <ul class="delete-list">
              {modal.links.slice(0, 10).map((link) => (
                <li key={link.id}>{displayUrl(link.short_url)}</li>
              ))}
              {modal.links.length > 10 && <li>and {modal.links.length - 10} more</li>}
            </ul>
          )}
          <div class="dialog-actions">
            <button type="button" onClick={() => setModal(null)} autofocus>
              Cancel
            </button>
            <button type="button" class="danger" disabled={busy} onClick={() => void remove(modal.links)}>
              {busy ? 'Deleting…' : 'Delete'}
            </button>
          </div>
        </Dialog>
      )}
    </>
  );
}

interface RowProps {
  link: Link;
  canWrite: boolean;
  selected: boolean;
  onToggle: () => void;
  onTag: (tag: string) => void;
  onOpen: (kind: 'edit' | 'qr' | 'delete') => void;
}

function LinkRow({ link, canWrite, selected, onToggle, onTag, onOpen }: RowProps) {
  const status = linkStatus(link);
  const short = displayUrl(link.short_url);
  const statusTitle =
    status === 'scheduled'
      ? `Starts ${formatDateTime(link.starts_at)}`
      : status === 'expired'
        ? `Expired ${formatDateTime(link.expires_at)}`
        : status === 'capped'
          ? `Reached ${link.max_clicks} clicks`
          : link.expires_at
            ? `Expires ${formatDateTime(link.expires_at)}`
            : undefined;
  return (
    <tr class={selected ? 'selected' : undefined}>
      {canWrite && (
        <td class="col-check">
          <input type="checkbox" aria-label={`Select ${short}`} checked={selected} onChange={onToggle} />
        </td>
      )}
      <th scope="row" class="short">
        <a href={link.short_url} target="_blank" rel="noopener noreferrer" class="mono">
          {short}
        </a>
        <CopyButton text={link.short_url} what={short} />
        {link.title && <span class="subtle">{link.title}</span>}
        <span class="subtle truncate only-small">→ {displayUrl(link.url)}</span>
      </th>
      <td class="destination">
        <span class="truncate" title={link.url}>
          {displayUrl(link.url)}
        </span>
      </td>
      <td class="num col-clicks">
        {formatNumber(link.clicks)}
        <span class="only-small"> clicks</span>
      </td>
      <td class="col-created">
        <time dateTime={link.created_at}>{formatDate(link.created_at)}</time>
      </td>
      <td class="col-tags">
        {link.tags.length === 0 ? (
          <span class="muted">
            <span aria-hidden="true">—</span>
            <span class="visually-hidden">No tags</span>
          </span>
        ) : (
          <ul class="tags">
            {link.tags.map((tag) => (
              <li key={tag}>
                <button type="button" class="tag" onClick={() => onTag(tag)} title={`Show links tagged ${tag}`}>
                  {tag}
                </button>
              </li>
            ))}
          </ul>
        )}
      </td>
      <td class="col-status">
        <span class={`badge badge-${status}`} title={statusTitle}>
          {status}
        </span>
        {link.password_protected && <span class="badge badge-password">password</span>}
      </td>
      <td class="actions">
        <a class="button small" href={href(`links/${encodeURIComponent(link.id)}/analytics`)}>
          Stats<span class="visually-hidden"> of {short}</span>
        </a>
        <a class="button small" href={href(`links/${encodeURIComponent(link.id)}/routing`)}>
          Routing<span class="visually-hidden"> of {short}</span>
        </a>
        <button type="button" class="small" onClick={() => onOpen('qr')}>
          QR<span class="visually-hidden"> code of {short}</span>
        </button>
        {canWrite && (
          <>
            <button type="button" class="small" onClick={() => onOpen('edit')}>
              Edit<span class="visually-hidden"> {short}</span>
            </button>
            <button type="button" class="small danger" onClick={() => onOpen('delete')}>
              Delete<span class="visually-hidden"> {short}</span>
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
