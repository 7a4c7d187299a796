import { pino, type Logger, type LevelWithSilent } from 'pino';
import { activeTraceIds } from '../telemetry/spans.ts';
import { isoTime } from './iso-time.ts';

export type { Logger };

/**
 * Structured JSON logs, one line per event, to stdout. Fields that could carry secrets
 * are redacted wherever they appear, as a safety net: the code never logs them on purpose.
 * A line written inside a recorded trace carries its `trace_id` and `span_id`.
 */
export function createLogger(service: string, level: LevelWithSilent = 'info'): Logger {
  return pino({
    level,
    base: { service },
    timestamp: isoTime,
    mixin: activeTraceIds,
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

/**
 * `logger` without the redaction above, for lines whose every field is known to carry no
 * secret (the gateway's one line per request). Redaction walks each field of each line
 * for the wildcard paths, several times the cost of writing the line; a line built only
 * of such fields has nothing for it to find.
 */
export function withoutRedaction(logger: Logger): Logger {
  return logger.child({}, { redact: [] });
}
