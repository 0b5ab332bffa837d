import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Structured logs on stderr, so stdout carries only the lines a user reads; secrets never leave. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
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
    options.destination ?? pino.destination(2),
  );
}
