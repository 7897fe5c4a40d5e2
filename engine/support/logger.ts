import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'mask' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['authorization', 'password', 'secret', 'key', '*.authorization', '*.password', '*.secret', '*.key', 'headers["x-api-key"]'],
      censor: '[redacted]',
    },
  });
}
