import { useEffect, useState } from 'preact/hooks';

interface Toast {
  id: number;
  text: string;
  kind: 'info' | 'error';
}

let nextId = 1;
let toasts: Toast[] = [];
const listeners = new Set<(list: Toast[]) => void>();

function publish(list: Toast[]) {
  toasts = list;
  for (const listener of listeners) listener(list);
}

/** Shows a short message in the live region; errors stay until dismissed, others for 5 s. */
export function toast(text: string, kind: Toast['kind'] = 'info'): void {
  const item = { id: nextId++, text, kind };
  publish([...toasts.slice(-3), item]);
  if (kind === 'info') setTimeout(() => dismiss(item.id), 5000);
}

function dismiss(id: number) {
  publish(toasts.filter((item) => item.id !== id));
}

/** Two live regions that exist from the start, so screen readers announce what is added to them. */
export function Toasts() {
  const [list, setList] = useState(toasts);
  useEffect(() => {
    listeners.add(setList);
    return () => void listeners.delete(setList);
  }, []);
  const render = (kind: Toast['kind']) =>
    list
      .filter((item) => item.kind === kind)
      .map((item) => (
        <div class={`toast toast-${item.kind}`} key={item.id}>
          <span>{item.text}</span>
          <button type="button" class="icon-button" aria-label="Dismiss message" onClick={() => dismiss(item.id)}>
            ×
          </button>
        </div>
      ));
  return (
    <div class="toasts">
      <div role="status" aria-live="polite">
        {render('info')}
      </div>
      <div role="alert" aria-live="assertive">
        {render('error')}
      </div>
    </div>
  );
}
