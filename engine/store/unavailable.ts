/**
 * Errors that mean "the database cannot be reached right now", as opposed to a query that is wrong: the API answers
 * them with 503 `service_unavailable` and `Retry-After` instead of a 500.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Postgres SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect now). */
const PG_UNAVAILABLE = /^(08\d{3}|57P0[1-3]|53300)$/;

/** SQLite cannot open, read or lock its file (a missing directory, a full disk, permissions, another writer). */
const SQLITE_UNAVAILABLE = /^SQLITE_(CANTOPEN|IOERR|BUSY|LOCKED|FULL|READONLY|PERM|AUTH)/;

const MESSAGES = [
  'Connection terminated', // pg: the server (or the network) closed the connection
  'Knex: Timeout acquiring a connection', // knex: the pool could not hand out a connection in time
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection ended unexpectedly',
];

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || PG_UNAVAILABLE.test(e.code) || SQLITE_UNAVAILABLE.test(e.code))) return true;
  if (e.name === 'KnexTimeoutError') return true;
  if (typeof e.message === 'string' && MESSAGES.some((text) => (e.message as string).includes(text))) return true;
  // Node reports a refused connection to a name with several addresses as an AggregateError of each attempt.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
