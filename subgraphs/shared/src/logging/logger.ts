import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/**
 * Structured JSON logs, one line per event, to stdout. Fields that could carry secrets
 * are redacted wherever they appear, as a safety net: the code never logs them on purpose.
 */
export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: {
      paths: [
        '*.password',
        '*.refreshToken',
        '*.accessToken',
        '*.authorization',
        '*.variables.input.password',
        '*.variables.refreshToken',
        'req.headers.authorization',
        'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}
