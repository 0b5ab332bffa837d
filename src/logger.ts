import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured logs on stderr, so stdout carries only the lines a user reads; secrets never leave. */
export function createLogger(options: { level?: string } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'headers.cookie',
          'password',
          '*.password',
          'credentials',
          '*.credentials',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
