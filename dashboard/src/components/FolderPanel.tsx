import { useEffect, useState } from 'preact/hooks';
import { ApiError, links, type Link } from '../api';
import { folders, type Folder } from '../api-organize';
import { errorText } from '../screens/SignIn';
import { Confirm } from './common';
import { describe, Field } from './Field';
import { toast } from './Toasts';
import '../admin.css';

// The folder list is shared by the tree and the bulk "move" control of the Links screen.
let shared: Promise<Folder[]> | null = null;
const listeners = new Set<() => void>();
const load = () => (shared ??= folders.list().then((page) => page.data));
const changed = () => {
  shared = null;
  for (const listener of listeners) listener();
};

function useFolders(): { list: Folder[]; error: string } {
  const [list, setList] = useState<Folder[]>([]);
  const [error, setError] = useState('');
  useEffect(() => {
    const update = () =>
      load().then(
        (next) => (setList(next), setError('')),
        (caught) => setError(errorText(caught)),
      );
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  return { list, error };
}

/** Top-level folders, each followed by its subfolders (folders nest one level). */
function ordered(list: Folder[]): { folder: Folder; depth: 0 | 1 }[] {
  const tops = list.filter((f) => !f.parent_id).sort((a, b) => a.name.localeCompare(b.name));
  return tops.flatMap((top) => [
    { folder: top, depth: 0 as const },
    ...list
      .filter((f) => f.parent_id === top.id)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((folder) => ({ folder, depth: 1 as const })),
  ]);
}

/** The folder tree beside the links list: choosing a folder filters the list; writers add and delete folders. */
export function FolderTree({ current, onChoose, canWrite }: { current: string; onChoose: (folderId: string) => void; canWrite: boolean }) {
  const { list, error } = useFolders();
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [nameError, setNameError] = useState('');
  const [busy, setBusy] = useState(false);
  const [deleting, setDeleting] = useState<{ folder: Folder; refusal?: string } | null>(null);
  const tree = ordered(list);
  const chosen = list.find((f) => f.id === current);

  const add = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setNameError('');
    try {
      const created = await folders.create({ name: name.trim(), parent_id: parent || null });
      toast(`Folder ${created.name} created`);
      setName('');
      changed();
    } catch (caught) {
      setNameError(caught instanceof ApiError && caught.details.length ? Object.values(caught.fieldErrors(['name', 'parent_id'])).join(' ') : errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const item = (folderId: string, label: string, depth = 0) => (
    <li key={folderId || 'all'} class={depth ? 'sub' : undefined}>
      <button type="button" class="link-button" aria-current={current === folderId ? 'true' : undefined} onClick={() => onChoose(folderId)}>
        {label}
      </button>
    </li>
  );

  return (
    <nav class="card folder-tree" aria-label="Folders">
      <h2>Folders</h2>
      {error && <p class="form-error">{error}</p>}
      <ul>
        {item('', 'All links')}
        {tree.map(({ folder, depth }) => item(folder.id, folder.name, depth))}
      </ul>
      {canWrite && chosen && (
        <button type="button" class="small danger" onClick={() => setDeleting({ folder: chosen })}>
          Delete folder {chosen.name}
        </button>
      )}
      {canWrite && (
        <form class="inline-form" onSubmit={add} noValidate>
          <Field id="folder-name" label="New folder" error={nameError}>
            <input {...describe('folder-name', nameError)} value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field id="folder-parent" label="Inside">
            <select id="folder-parent" value={parent} onChange={(e) => setParent(e.currentTarget.value)}>
              <option value="">Top level</option>
              {tree
                .filter(({ depth }) => depth === 0)
                .map(({ folder }) => (
                  <option value={folder.id} key={folder.id}>
                    {folder.name}
                  </option>
                ))}
            </select>
          </Field>
          <button type="submit" disabled={busy}>
            Add folder
          </button>
        </form>
      )}
      {deleting && (
        <Confirm
          title={`Delete folder ${deleting.folder.name}?`}
          action={deleting.refusal ? 'Delete and move its links out' : 'Delete folder'}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await folders.remove(deleting.folder.id, !!deleting.refusal);
            } catch (caught) {
              // A folder with links is refused (409) unless its links move out: offer that next.
              if (caught instanceof ApiError && caught.status === 409 && !deleting.refusal && !list.some((f) => f.parent_id === deleting.folder.id)) {
                setDeleting({ folder: deleting.folder, refusal: caught.message });
              }
              throw caught;
            }
            toast(`Folder ${deleting.folder.name} deleted`);
            if (current === deleting.folder.id) onChoose('');
            changed();
          }}
        >
          <p>{deleting.refusal ? 'Its links will be moved out of any folder.' : 'The folder goes; its links stay.'}</p>
        </Confirm>
      )}
    </nav>
  );
}

/** Moves the selected links into a folder (or out of any) through PATCH /links/bulk; answers the changed links. */
export function MoveToFolder({ ids, onMoved }: { ids: string[]; onMoved: (changed: Link[], folderId: string | null) => void }) {
  const { list } = useFolders();
  const [target, setTarget] = useState('');
  const [busy, setBusy] = useState(false);
  const move = async () => {
    setBusy(true);
    const folderId = target === 'none' ? null : target;
    try {
      const result = await links.bulkUpdate(ids, { folder_id: folderId });
      const name = folderId ? list.find((f) => f.id === folderId)?.name : null;
      const summary = `Moved ${result.data.length} link${result.data.length === 1 ? '' : 's'} ${name ? `to ${name}` : 'out of any folder'}.`;
      if (result.errors.length === 0) toast(summary);
      else toast(`${summary} Failed: ${result.errors.map((e) => e.error.message).join('; ')}`, 'error');
      onMoved(result.data, folderId);
    } catch (caught) {
      toast(errorText(caught), 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <label for="bulk-folder" class="visually-hidden">
        Folder to move the selected links to
      </label>
      <select id="bulk-folder" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
        <option value="">Move to folder…</option>
        <option value="none">No folder</option>
        {ordered(list).map(({ folder, depth }) => (
          <option value={folder.id} key={folder.id}>
            {depth ? `— ${folder.name}` : folder.name}
          </option>
        ))}
      </select>
      <button type="button" disabled={busy || !target} onClick={() => void move()}>
        Move
      </button>
    </>
  );
}
