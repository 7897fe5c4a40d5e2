import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './Loading';

/** A lazily loaded component; `preload()` fetches its chunk ahead of first use (say, when the screen that opens it mounts). */
export type LazyComponent<P extends object> = ComponentType<P> & { preload: () => void };

/**
 * A screen loaded on first use (its own chunk), so the first screen's JavaScript stays as small as it was. A failed
 * load (a new deployment replaced the chunk) offers a reload.
 */
export function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyComponent<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const fetchChunk = () => {
    loading ??= load().then(
      (module) => (loaded = module.default),
      (error: unknown) => {
        loading = null; // a later use tries again
        throw error;
      },
    );
    return loading;
  };
  function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      fetchChunk().then(
        (component) => setScreen(() => component),
        () => setFailed(true),
      );
    }, []);
    if (failed)
      return (
        <div role="alert" class="form-error">
          <p>This screen could not be loaded.</p>
          <button type="button" onClick={() => location.reload()}>
            Reload
          </button>
        </div>
      );
    return Screen ? <Screen {...props} /> : <Loading label="Loading…" rows={4} />;
  }
  return Object.assign(LazyScreen, { preload: () => void fetchChunk().catch(() => undefined) });
}
