import net from 'node:net';
import { privateRedis, type PrivateRedis } from './processes';

export interface TcpProxy {
  /** 127.0.0.1 port that forwards to the target while the proxy is up. */
  port: number;
  /** Cuts every open connection and refuses new ones (resets them at once), as a database outage would. */
  cut(): void;
  /** Cuts every open connection and accepts new ones but passes nothing either way, as a server that hangs would. */
  hold(): void;
  /**
   * Passes nothing either way, on open connections too, and resets none: a network path that silently stops (queries
   * in flight hang instead of failing).
   */
  stall(): void;
  /** Forwards again; connections open during a stall are reset (their lost bytes left them unusable). */
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 in front of `target` (host:port), for cutting a database off and bringing it back. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: 'forward' | 'cut' | 'hold' | 'stall' = 'forward';
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  };
  const server = net.createServer((client) => {
    track(client);
    if (mode === 'cut') {
      client.resetAndDestroy();
      return;
    }
    if (mode === 'hold' || mode === 'stall') return;
    const upstream = net.connect(targetPort, targetHost);
    track(upstream);
    client.on('data', (chunk) => mode === 'forward' && upstream.write(chunk));
    upstream.on('data', (chunk) => mode === 'forward' && client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const cutOpen = () => {
    for (const socket of sockets) socket.resetAndDestroy();
  };
  return {
    port,
    cut() {
      mode = 'cut';
      cutOpen();
    },
    hold() {
      mode = 'hold';
      cutOpen();
    },
    stall() {
      mode = 'stall';
    },
    restore() {
      if (mode === 'stall') cutOpen();
      mode = 'forward';
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP proxy in front of this pass's Redis (TEST_REDIS_URL), or of a private redis-server when the pass has none. */
export async function proxiedRedis(): Promise<{ proxy: TcpProxy; target: string; close(): Promise<void> }> {
  let redis: PrivateRedis | null = null;
  let target = process.env.TEST_REDIS_URL;
  if (!target) {
    redis = await privateRedis();
    await redis.start();
    target = redis.url;
  }
  const { hostname, port } = new URL(target);
  const proxy = await startTcpProxy(hostname, Number(port || 6379));
  return {
    proxy,
    target,
    async close() {
      await proxy.close();
      await redis?.stop();
    },
  };
}
