import { EventEmitter } from 'node:events';

export interface LinkChange {
  id: string;
  domain: string;
  slug: string;
  kind: 'created' | 'updated' | 'deleted';
}

/**
 * In-process notice that a link changed, published after the change commits. The redirect cache listens to drop its
 * entry at once; a Redis-backed relay can forward changes between processes.
 */
export class LinkChanges {
  private readonly emitter = new EventEmitter().setMaxListeners(50);

  publish(change: LinkChange): void {
    this.emitter.emit('change', change);
  }

  subscribe(listener: (change: LinkChange) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }
}
