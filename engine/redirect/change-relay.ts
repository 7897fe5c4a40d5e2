import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { LinkChange, LinkChanges } from '../domain/link-changes';
import type { Logger } from '../support/logger';
import { ioredis } from '../support/optional-deps';
import { closeRedis } from '../support/redis-close';

const KINDS = new Set(['created', 'updated', 'deleted']);
const SUBSCRIBE_WAIT_MS = 3000;

function parseMessage(message: string): { origin: string; change: LinkChange } | null {
  try {
    const { o, c } = JSON.parse(message) as { o?: unknown; c?: Partial<LinkChange> };
    if (typeof o !== 'string' || !c || typeof c.id !== 'string' || typeof c.domain !== 'string' || typeof c.slug !== 'string') return null;
    if (!KINDS.has(c.kind as string)) return null;
    return { origin: o, change: { id: c.id, domain: c.domain, slug: c.slug, kind: c.kind as LinkChange['kind'] } };
  } catch {
    return null;
  }
}

/**
 * Relays link changes between engine processes over Redis pub/sub: local changes are published, other processes'
 * changes are replayed on the local bus (so every cache drops its entry). After a reconnect, changes may have been
 * missed, so `onResync` runs (the link cache is cleared).
 */
export class LinkChangeRelay {
  private readonly origin = randomBytes(8).toString('hex');
  private readonly fromRemote = new WeakSet<LinkChange>();
  private publisher: Redis | null = null;
  private subscriber: Redis | null = null;
  private unsubscribe: (() => void) | null = null;
  private down = false;

  constructor(
    private readonly changes: LinkChanges,
    private readonly redisUrl: string,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly onResync: () => void,
  ) {}

  async start(): Promise<void> {
    const onError = (error: Error) => {
      if (this.down) return;
      this.down = true;
      this.logger.warn({ err: error }, 'link change relay: Redis unreachable; cached links rely on their TTL until it is back');
    };
    const { Redis } = ioredis();
    this.publisher = new Redis(this.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }).on('error', onError);
    // Subscribed on every 'ready' by us, not by ioredis: its own resubscription after a reconnect leaves the command's
    // promise unhandled, so a close() while it waited ended the process ("Connection is closed.").
    this.subscriber = new Redis(this.redisUrl, { maxRetriesPerRequest: null, autoResubscribe: false }).on('error', onError);
    let firstSubscription: () => void = () => undefined;
    const subscribed = new Promise<void>((resolve) => (firstSubscription = resolve));
    this.subscriber.on('ready', () => {
      this.down = false;
      this.onResync();
      this.subscriber?.subscribe(this.channel).then(() => firstSubscription(), onError);
    });
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const parsed = parseMessage(message);
      if (!parsed || parsed.origin === this.origin) return;
      this.fromRemote.add(parsed.change);
      this.changes.publish(parsed.change);
    });
    this.unsubscribe = this.changes.subscribe((change) => {
      if (this.fromRemote.has(change) || !this.publisher) return;
      this.publisher.publish(this.channel, JSON.stringify({ o: this.origin, c: change })).catch((error: unknown) => {
        this.logger.warn({ err: error, link_id: change.id }, 'link change relay: publish failed; other processes rely on the TTL');
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
    });
    await Promise.race([subscribed, timeout]);
    clearTimeout(timer);
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const { publisher, subscriber } = this;
    this.publisher = this.subscriber = null;
    subscriber?.disconnect();
    // A publish still in flight reaches Redis before QUIT; a Redis that never answers cannot hold the shutdown.
    if (publisher) await closeRedis(publisher);
  }
}
