import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from './server/request-id.js';

export type { Logger };

/**
 * Readable lines in a terminal, JSON elsewhere (LOG_FORMAT=pretty|json overrides): pino-pretty
 * runs in pino's transport worker, loaded only then.
 */
function defaultDestination(): DestinationStream {
  const format = process.env.LOG_FORMAT ?? (process.stderr.isTTY ? 'pretty' : 'json');
  if (format !== 'pretty') return pino.destination(2);
  return pino.transport({
    target: 'pino-pretty',
    options: { destination: 2, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' },
  }) as DestinationStream;
}

/**
 * Structured logs on stderr, so stdout carries only the lines a user reads; secrets never leave.
 * Every line written while serving a request carries its `requestId`.
 */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.LOG_LEVEL ?? 'info',
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
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
    options.destination ?? defaultDestination(),
  );
}
