import net from 'node:net';

export interface TcpProxy {
  /** `127.0.0.1:<port>` of the proxy. */
  host: string;
  /** From now on the proxy answers nothing: bytes both ways are swallowed, as on a cut network path. */
  cut(): void;
  /** Forwards again; connections opened during the cut are dropped, as a reset network would. */
  restore(): void;
  close(): Promise<void>;
}

/** A TCP proxy on 127.0.0.1 to `target` (host:port) whose path can be cut without refusing connections. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let isCut = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => !isCut && upstream.write(chunk));
    upstream.on('data', (chunk) => !isCut && client.write(chunk));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    cut: () => {
      isCut = true;
    },
    restore: () => {
      for (const socket of sockets) socket.destroy();
      isCut = false;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
