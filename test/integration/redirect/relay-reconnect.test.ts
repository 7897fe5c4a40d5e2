// The link-change relay over a Redis connection that drops and comes back (a TCP proxy the test cuts): it subscribes
// again by itself, and a close() while that subscription waits for Redis leaves nothing unhandled (ioredis's own
// resubscription did: "Connection is closed." ended the process when an engine stopped just after Redis came back).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { LinkChanges, type LinkChange } from '../../../engine/domain/link-changes';
import { LinkChangeRelay } from '../../../engine/redirect/change-relay';
import { proxiedRedis, type TcpProxy } from '../../support/tcp-proxy';
import { until } from '../../support/webhook-receiver';

describe('the link-change relay across a Redis reconnect', () => {
  let redis: Awaited<ReturnType<typeof proxiedRedis>>;
  let target: string;
  let proxy: TcpProxy;
  before(async () => {
    redis = await proxiedRedis();
    ({ proxy, target } = redis);
  });
  after(async () => {
    await redis?.close();
  });

  test('it subscribes again after a reconnect, and closing during that subscription leaves nothing unhandled', async () => {
    const channel = `mask-test:relay-${Date.now()}:link-changes`;
    const changes = new LinkChanges();
    const received: LinkChange[] = [];
    changes.subscribe((change) => received.push(change));
    let resyncs = 0;
    let onResync = () => undefined as void;
    const relay = new LinkChangeRelay(changes, `redis://127.0.0.1:${proxy.port}`, channel, pino({ level: 'silent' }), () => {
      resyncs += 1;
      onResync();
    });
    const escaped: unknown[] = [];
    const record = (error: unknown) => escaped.push(error);
    process.on('unhandledRejection', record);
    const publisher = new Redis(target);
    try {
      await relay.start();
      const reconnect = async (resyncsBefore: number) => {
        proxy.cut();
        await new Promise((resolve) => setTimeout(resolve, 300));
        proxy.restore();
        await until(() => resyncs > resyncsBefore, 'the relay to reconnect');
      };

      await reconnect(resyncs);
      const message = JSON.stringify({ o: 'another-process', c: { id: 'lnk_1', domain: 'go.test', slug: 'a', kind: 'updated' } });
      // Published until someone listens: the subscription is sent once the connection is ready again.
      await until(async () => (await publisher.publish(channel, message)) > 0, 'the relay to subscribe again');
      await until(() => received.length > 0, 'the change to reach the local bus');
      assert.equal(received[0].id, 'lnk_1');

      // Closed from inside the 'ready' that follows the next reconnect: ioredis had just sent its own SUBSCRIBE then.
      let closing: Promise<void> | null = null;
      onResync = () => {
        closing ??= relay.close();
      };
      await reconnect(resyncs);
      await closing;
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(escaped.map(String), []);
    } finally {
      process.off('unhandledRejection', record);
      publisher.disconnect();
      await relay.close();
    }
  });
});
