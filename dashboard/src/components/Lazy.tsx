import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { Loading } from './Loading';

/**
 * A screen loaded on first use (its own chunk), so the first screen's JavaScript stays as small as it was. A failed
 * load (a new deployment replaced the chunk) offers a reload.
 */
export function lazy<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  return function LazyScreen(props: P) {
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    useEffect(() => {
      if (loaded) return;
      load().then(
        (module) => {
          loaded = module.default;
          setScreen(() => module.default);
        },
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
  };
}
