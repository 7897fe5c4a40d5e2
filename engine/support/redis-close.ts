import type { Redis } from 'ioredis';
import { settlesWithin } from './deadlines';

/** How long a closing connection may wait for Redis to acknowledge QUIT before it is simply dropped. */
export const REDIS_CLOSE_MS = 2_000;

/**
 * Ends a connection: QUIT (so commands already sent are answered) only when it is connected, and for at most `ms`,
 * then disconnect. quit() waits behind commands queued while disconnected, and a Redis that accepts connections but
 * never answers would hold it for ever: neither may hold up a shutdown.
 */
export async function closeRedis(connection: Redis, ms = REDIS_CLOSE_MS): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status === 'ready') await settlesWithin(connection.quit(), ms);
  connection.disconnect();
}
