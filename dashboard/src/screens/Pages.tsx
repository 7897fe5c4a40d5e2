import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, blob, links, me, type Link } from '../api';
import { pages, THEMES, type BioPage, type PageInput, type Theme } from '../api-admin';
import { Confirm, LoadError, PageHead, save, TableRegion, useResource } from '../components/common';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { describe, Field, FormError } from '../components/Field';
import { Empty, Loading } from '../components/Loading';
import { toast } from '../components/Toasts';
import { displayUrl, formatDateTime, formatNumber } from '../format';
import { href, navigate } from '../router';
import { useApp } from '../session';
import { errorText } from './SignIn';
import '../admin.css';

export default function Pages({ id }: { id?: string }) {
  return id ? <PageEditor pageId={id === 'new' ? null : id} /> : <PageList />;
}

function PageList() {
  const app = useApp();
  const list = useResource(() => pages.list());
  return (
    <>
      <PageHead title="Bio pages">
        {app.canWrite && (
          <a class="button primary" href={href('pages/new')}>
            New page
          </a>
        )}
      </PageHead>
      {list.error ? (
        <LoadError message={list.error} retry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading pages…" />
      ) : list.data.data.length === 0 ? (
        <Empty title="No bio pages yet.">
          <p>A bio page gathers your links on one address, /p/your-name.</p>
        </Empty>
      ) : (
        <TableRegion label="Bio pages" columns={['Page', 'Status', ['Items', 'num'], ['Visits', 'num'], 'Updated']}>
              {list.data.data.map((page) => (
                <tr key={page.id}>
                  <th scope="row">
                    <a href={href(`pages/${page.id}`)}>{page.title || page.handle}</a>
                    <div class="muted mono">{displayUrl(page.public_url)}</div>
                  </th>
                  <td>
                    <span class={`badge ${page.published ? 'badge-active' : 'badge-expired'}`}>{page.published ? 'Published' : 'Draft'}</span>
                  </td>
                  <td class="num">{page.items.length}</td>
                  <td class="num">{formatNumber(page.items.reduce((sum, item) => sum + item.clicks, 0))}</td>
                  <td>{formatDateTime(page.updated_at)}</td>
                </tr>
              ))}
        </TableRegion>
      )}
    </>
  );
}

interface DraftItem {
  key: number;
  label: string;
  kind: 'url' | 'link';
  url: string;
  link: { id: string; short_url: string } | null;
  short_url?: string;
  clicks?: number;
}

interface Draft {
  handle: string;
  domain: string;
  title: string;
  description: string;
  avatar_url: string;
  theme: Theme;
  items: DraftItem[];
}

let itemKeys = 1;
const FIELDS = ['handle', 'domain', 'title', 'description', 'avatar_url', 'theme', 'items'];

function draftOf(page: BioPage | null): Draft {
  return {
    handle: page?.handle ?? '',
    domain: page?.domain ?? '',
    title: page?.title ?? '',
    description: page?.description ?? '',
    avatar_url: page?.avatar_url ?? '',
    theme: page?.theme ?? 'auto',
    items: (page?.items ?? []).map((item) => ({
      key: itemKeys++,
      label: item.label,
      kind: item.link_id ? 'link' : 'url',
      url: item.url ?? '',
      link: item.link_id ? { id: item.link_id, short_url: item.short_url } : null,
      short_url: item.short_url,
      clicks: item.clicks,
    })),
  };
}

function inputOf(draft: Draft, creating: boolean): PageInput {
  const body: PageInput = {
    title: draft.title.trim() || null,
    description: draft.description.trim() || null,
    avatar_url: draft.avatar_url.trim() || null,
    theme: draft.theme,
    items: draft.items.map((item) => (item.kind === 'link' ? { label: item.label, link_id: item.link?.id ?? '' } : { label: item.label, url: item.url.trim() })),
  };
  if (creating || draft.handle) body.handle = draft.handle.trim();
  if (creating && draft.domain.trim()) body.domain = draft.domain.trim();
  return body;
}

function PageEditor({ pageId }: { pageId: string | null }) {
  const app = useApp();
  const [page, setPage] = useState<BioPage | null>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(null));
  const [loadError, setLoadError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [itemErrors, setItemErrors] = useState<Record<number, string>>({});
  const [busy, setBusy] = useState(false);
  const [modal, setModal] = useState<'' | 'qr' | 'delete'>('');
  const [defaultDomain, setDefaultDomain] = useState('');
  const readOnly = !app.canWrite;

  useEffect(() => {
    me().then((answer) => setDefaultDomain(answer.workspace.default_domain), () => undefined);
    if (!pageId) return;
    pages.get(pageId).then(
      (loaded) => {
        setPage(loaded);
        setDraft(draftOf(loaded));
      },
      (caught) => setLoadError(errorText(caught)),
    );
  }, [pageId]);

  const set = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const setItem = (index: number, patch: Partial<DraftItem>) =>
    setDraft((current) => ({ ...current, items: current.items.map((item, i) => (i === index ? { ...item, ...patch } : item)) }));
  const move = (from: number, to: number) =>
    setDraft((current) => {
      if (to < 0 || to >= current.items.length || from === to) return current;
      const items = [...current.items];
      const [moved] = items.splice(from, 1);
      items.splice(to, 0, moved);
      return { ...current, items };
    });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setItemErrors({});
    try {
      const saved = page ? await pages.update(page.id, inputOf(draft, false)) : await pages.create(inputOf(draft, true));
      setPage(saved);
      setDraft(draftOf(saved));
      toast(page ? 'Page saved' : 'Page created');
      if (!page) navigate(`pages/${saved.id}`, { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.details.length) {
        const byItem: Record<number, string> = {};
        for (const detail of caught.details) {
          const match = /^items\.(\d+)/.exec(detail.field);
          if (match) byItem[Number(match[1])] = `${byItem[Number(match[1])] ? `${byItem[Number(match[1])]} ` : ''}${detail.message}`;
        }
        setItemErrors(byItem);
        setErrors(caught.fieldErrors(FIELDS));
      } else setErrors({ '': errorText(caught) });
    } finally {
      setBusy(false);
    }
  };

  const publish = async (on: boolean) => {
    if (!page) return;
    setBusy(true);
    try {
      const saved = await pages.publish(page.id, on);
      setPage(saved);
      toast(on ? `Published at ${saved.public_url}` : 'Page unpublished');
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setBusy(false);
    }
  };

  if (loadError) return <LoadError message={loadError} retry={() => location.reload()} />;
  if (pageId && !page) return <Loading label="Loading page…" />;

  const attrs = (name: keyof Draft, hint?: string) => ({
    ...describe(`page-${name}`, errors[name], hint),
    value: draft[name] as string,
    readOnly,
    onInput: (e: Event) => set({ [name]: (e.currentTarget as HTMLInputElement).value } as Partial<Draft>),
  });

  return (
    <>
      <PageHead title={page ? `Page ${page.title || page.handle}` : 'New bio page'}>
        <a class="button" href={href('pages')}>
          All pages
        </a>
      </PageHead>
      {page && (
        <section class="card page-status" aria-label="Publication">
          <p>
            <span class={`badge ${page.published ? 'badge-active' : 'badge-expired'}`}>{page.published ? 'Published' : 'Draft'}</span>{' '}
            {page.published ? (
              <a href={page.public_url} target="_blank" rel="noopener">
                {displayUrl(page.public_url)}
              </a>
            ) : (
              <span class="mono">{displayUrl(page.public_url)}</span>
            )}{' '}
            <CopyButton text={page.public_url} what="page address" />
          </p>
          <div class="actions">
            {app.canWrite && (
              <button type="button" class={page.published ? '' : 'primary'} disabled={busy} onClick={() => void publish(!page.published)}>
                {page.published ? 'Unpublish' : 'Publish'}
              </button>
            )}
            <button type="button" onClick={() => setModal('qr')}>
              QR code
            </button>
            {app.canWrite && (
              <button type="button" class="danger" onClick={() => setModal('delete')}>
                Delete page
              </button>
            )}
          </div>
        </section>
      )}
      <div class="editor">
        <form class="card editor-form" onSubmit={submit} noValidate aria-label="Page details">
          <FormError message={errors['']} />
          <div class="grid-2">
            <Field id="page-handle" label="Handle" error={errors.handle} hint="The address: /p/handle">
              <input {...attrs('handle', 'The address: /p/handle')} required autocomplete="off" spellcheck={false} />
            </Field>
            <Field id="page-domain" label="Domain" error={errors.domain} hint={page ? 'Fixed once created.' : `Empty: ${defaultDomain || 'the default'}`}>
              <input {...attrs('domain', 'domain')} readOnly={readOnly || !!page} autocomplete="off" />
            </Field>
          </div>
          <Field id="page-title" label="Title" error={errors.title}>
            <input {...attrs('title')} maxLength={100} />
          </Field>
          <Field id="page-description" label="Description" error={errors.description}>
            <textarea {...attrs('description')} rows={3} maxLength={500} />
          </Field>
          <div class="grid-2">
            <Field id="page-avatar_url" label="Avatar URL" error={errors.avatar_url}>
              <input {...attrs('avatar_url')} type="url" inputMode="url" />
            </Field>
            <Field id="page-theme" label="Theme" error={errors.theme}>
              <select {...describe('page-theme', errors.theme)} value={draft.theme} disabled={readOnly} onChange={(e) => set({ theme: e.currentTarget.value as Theme })}>
                {THEMES.map((theme) => (
                  <option value={theme} key={theme}>
                    {theme}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <fieldset>
            <legend>Items</legend>
            {errors.items && <p class="field-error">{errors.items}</p>}
            <ItemList draft={draft} readOnly={readOnly} errors={itemErrors} setItem={setItem} move={move} set={set} />
            {!readOnly && (
              <button
                type="button"
                onClick={() => set({ items: [...draft.items, { key: itemKeys++, label: '', kind: 'url', url: '', link: null }] })}
              >
                Add item
              </button>
            )}
          </fieldset>
          {!readOnly && (
            <div class="dialog-actions">
              <button type="submit" class="primary" disabled={busy}>
                {busy ? 'Saving…' : page ? 'Save page' : 'Create page'}
              </button>
            </div>
          )}
        </form>
        <Preview draft={draft} />
      </div>
      {modal === 'qr' && page && <PageQr page={page} onClose={() => setModal('')} />}
      {modal === 'delete' && page && (
        <Confirm
          title="Delete this page?"
          action="Delete page"
          onClose={() => setModal('')}
          onConfirm={async () => {
            await pages.remove(page.id);
            toast('Page deleted');
            navigate('pages');
          }}
        >
          <p>{displayUrl(page.public_url)} stops answering at once. Links used by its items stay.</p>
        </Confirm>
      )}
    </>
  );
}

function ItemList(props: {
  draft: Draft;
  readOnly: boolean;
  errors: Record<number, string>;
  setItem: (index: number, patch: Partial<DraftItem>) => void;
  move: (from: number, to: number) => void;
  set: (patch: Partial<Draft>) => void;
}) {
  const { draft, readOnly } = props;
  const dragged = useRef<number | null>(null);
  const [status, setStatus] = useState('');
  const moveAnnounced = (from: number, to: number) => {
    props.move(from, to);
    setStatus(`${draft.items[from].label || 'Item'} moved to position ${to + 1} of ${draft.items.length}`);
  };
  if (draft.items.length === 0) return <p class="muted">No items yet.</p>;
  return (
    <>
      <ol class="items">
        {draft.items.map((item, index) => (
          <li
            key={item.key}
            class="item"
            draggable={!readOnly}
            onDragStart={(e) => {
              dragged.current = index;
              e.dataTransfer?.setData('text/plain', String(index));
            }}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => {
              e.preventDefault();
              if (dragged.current !== null) moveAnnounced(dragged.current, index);
              dragged.current = null;
            }}
          >
            <div class="item-head">
              <span class="drag-handle" aria-hidden="true">
                ⠿
              </span>
              <strong>Item {index + 1}</strong>
              {item.short_url && (
                <span class="muted">
                  {formatNumber(item.clicks ?? 0)} visit{item.clicks === 1 ? '' : 's'}
                </span>
              )}
              {!readOnly && (
                <span class="actions">
                  <button type="button" class="small" disabled={index === 0} onClick={() => moveAnnounced(index, index - 1)}>
                    Up<span class="visually-hidden"> item {index + 1}</span>
                  </button>
                  <button type="button" class="small" disabled={index === draft.items.length - 1} onClick={() => moveAnnounced(index, index + 1)}>
                    Down<span class="visually-hidden"> item {index + 1}</span>
                  </button>
                  <button type="button" class="small danger" onClick={() => props.set({ items: draft.items.filter((_, i) => i !== index) })}>
                    Remove<span class="visually-hidden"> item {index + 1}</span>
                  </button>
                </span>
              )}
            </div>
            <div class="grid-2">
              <Field id={`item-${item.key}-label`} label={`Label of item ${index + 1}`} error={props.errors[index]}>
                <input
                  {...describe(`item-${item.key}-label`, props.errors[index])}
                  value={item.label}
                  readOnly={readOnly}
                  maxLength={100}
                  onInput={(e) => props.setItem(index, { label: e.currentTarget.value })}
                />
              </Field>
              <Field id={`item-${item.key}-kind`} label={`Kind of item ${index + 1}`}>
                <select id={`item-${item.key}-kind`} value={item.kind} disabled={readOnly} onChange={(e) => props.setItem(index, { kind: e.currentTarget.value as 'url' | 'link' })}>
                  <option value="url">A URL</option>
                  <option value="link">One of your links</option>
                </select>
              </Field>
            </div>
            {item.kind === 'url' ? (
              <Field id={`item-${item.key}-url`} label={`URL of item ${index + 1}`}>
                <input id={`item-${item.key}-url`} type="url" inputMode="url" value={item.url} readOnly={readOnly} onInput={(e) => props.setItem(index, { url: e.currentTarget.value })} />
              </Field>
            ) : (
              <LinkPicker itemKey={item.key} position={index + 1} chosen={item.link} readOnly={readOnly} onPick={(link) => props.setItem(index, { link, label: item.label || link.short_url.replace(/^https?:\/\//, '') })} />
            )}
          </li>
        ))}
      </ol>
      <p role="status" class="visually-hidden">
        {status}
      </p>
    </>
  );
}

/** Searches the workspace's links (GET /links?search=) and picks one. */
function LinkPicker(props: { itemKey: number; position: number; chosen: { id: string; short_url: string } | null; readOnly: boolean; onPick: (link: { id: string; short_url: string }) => void }) {
  const [search, setSearch] = useState('');
  const [results, setResults] = useState<Link[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    if (props.readOnly) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      links.list({ search: search.trim() || undefined }, null, controller.signal).then(
        (page) => {
          setResults(page.data.slice(0, 8));
          setError('');
        },
        (caught) => {
          if (!controller.signal.aborted) setError(errorText(caught));
        },
      );
    }, 200);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [search, props.readOnly]);
  const id = `item-${props.itemKey}-search`;
  return (
    <div class="picker">
      <p>
        Link: <span class="mono">{props.chosen ? displayUrl(props.chosen.short_url) : 'none chosen'}</span>
      </p>
      {!props.readOnly && (
        <>
          <Field id={id} label={`Find a link for item ${props.position}`}>
            <input id={id} type="search" value={search} placeholder="Slug, URL or title" onInput={(e) => setSearch(e.currentTarget.value)} />
          </Field>
          {error && <p class="field-error">{error}</p>}
          <ul class="picker-results" aria-label={`Links matching the search for item ${props.position}`}>
            {results?.map((link) => (
              <li key={link.id}>
                <button type="button" class="small link-choice" aria-pressed={props.chosen?.id === link.id} onClick={() => props.onPick({ id: link.id, short_url: link.short_url })}>
                  {displayUrl(link.short_url)}
                  <span class="muted"> → {link.title || displayUrl(link.url)}</span>
                </button>
              </li>
            ))}
            {results && results.length === 0 && <li class="muted">No link matches.</li>}
          </ul>
        </>
      )}
    </div>
  );
}

/** What visitors will see, drawn from the form as it is now. */
function Preview({ draft }: { draft: Draft }) {
  const title = draft.title.trim() || draft.handle.trim() || 'Your page';
  return (
    <aside class="preview-wrap" aria-label="Preview">
      <h2 class="preview-label">Preview</h2>
      <div class={`bio-preview theme-${draft.theme}`}>
        {/* The avatar itself is another site's image, which the dashboard's CSP does not load: its monogram stands in. */}
        <div class="bio-avatar" aria-hidden="true">
          {title.slice(0, 1).toUpperCase()}
        </div>
        <p class="bio-title">{title}</p>
        {draft.description.trim() && <p class="bio-description">{draft.description}</p>}
        <ul class="bio-items">
          {draft.items.map((item) => (
            <li key={item.key}>
              <span class="bio-button">{item.label || 'Untitled'}</span>
            </li>
          ))}
        </ul>
      </div>
    </aside>
  );
}

function PageQr({ page, onClose }: { page: BioPage; onClose: () => void }) {
  const [preview, setPreview] = useState('');
  const [error, setError] = useState('');
  useEffect(() => {
    let url = '';
    blob(pages.qrPath(page.id), { format: 'svg', size: 256 }).then(
      (image) => {
        url = URL.createObjectURL(image);
        setPreview(url);
      },
      (caught) => setError(errorText(caught)),
    );
    return () => {
      if (url) URL.revokeObjectURL(url);
    };
  }, [page.id]);
  const download = async (format: 'png' | 'svg') => {
    try {
      save(await blob(pages.qrPath(page.id), { format, size: 1024 }), `${page.handle}-qr.${format}`);
    } catch (caught) {
      setError(errorText(caught));
    }
  };
  return (
    <Dialog title={`QR code of ${displayUrl(page.public_url)}`} onClose={onClose}>
      <FormError message={error} />
      <div class="qr-preview">{preview ? <img src={preview} width={256} height={256} alt={`QR code that opens ${page.public_url}`} /> : <span class="muted">Loading…</span>}</div>
      <div class="dialog-actions">
        <button type="button" onClick={() => void download('svg')}>
          Download SVG
        </button>
        <button type="button" class="primary" onClick={() => void download('png')}>
          Download PNG
        </button>
      </div>
    </Dialog>
  );
}
