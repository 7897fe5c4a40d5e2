import { format } from 'node:util';
import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** The engine's JSON logger; `destination` defaults to stdout (a worker thread gives one that posts to the engine). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'mask' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['authorization', 'password', 'secret', 'key', '*.authorization', '*.password', '*.secret', '*.key', 'headers["x-api-key"]'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Logs a JSON line another logger wrote (a worker thread's) through `logger`, at its level and with its fields, so it
 * reaches the same destination as everything else (an embedding host's logger included).
 */
export function relayLogLine(logger: Logger, line: string, extra: Record<string, unknown>): void {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    logger.warn({ ...extra, line: line.slice(0, 2000) }, 'unparsable log line');
    return;
  }
  const { level, msg, time: _time, service: _service, pid: _pid, hostname: _hostname, ...fields } = entry;
  const label = (typeof level === 'number' && pino.levels.labels[level]) || 'info';
  const log = logger[label as pino.Level];
  if (typeof log === 'function') log.call(logger, { ...fields, ...extra }, typeof msg === 'string' ? msg : '');
}

/** Sends what libraries print with console.* (plain text) through `logger` as JSON, at warn (error for console.error). */
export function consoleToLogger(logger: Logger): void {
  /* eslint-disable no-console -- replacing console is the point: what libraries print becomes JSON */
  const to = (level: 'warn' | 'error') => (...args: unknown[]) => logger[level]({ console: format(...args) }, 'console output');
  console.log = to('warn');
  console.info = to('warn');
  console.warn = to('warn');
  console.error = to('error');
  console.debug = (...args: unknown[]) => logger.debug({ console: format(...args) }, 'console output');
  /* eslint-enable no-console */
}
