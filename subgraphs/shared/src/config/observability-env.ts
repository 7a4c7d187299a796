import { z } from 'zod';
import { url } from './load-env.ts';

/**
 * Metrics and tracing variables, read by every service (see serviceEnv).
 * - METRICS: `on` (default) or `off` (nothing is recorded; `/metrics` answers 404).
 * - METRICS_PORT: a second listener serving only `/metrics`, for a scraper on the private
 *   network. Unset: none.
 * - METRICS_TOKEN: `/metrics` on the public port answers `Authorization: Bearer <token>`.
 *   In production, without it the public port does not serve `/metrics` at all.
 * - OTEL_EXPORTER_OTLP_ENDPOINT: traces go to this OTLP/HTTP collector (`/v1/traces`);
 *   unset, tracing is off.
 * - OTEL_TRACES_SAMPLER_ARG: the share of new traces recorded (0 to 1, default 1).
 */
export function observabilityEnv() {
  return {
    METRICS: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
    METRICS_PORT: z.coerce
      .number({ message: 'must be a port number' })
      .int('must be a port number')
      .min(0, 'must be a port number')
      .max(65535, 'must be a port number')
      .optional(),
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: url(['http:', 'https:'], 'must be an http(s) URL of an OTLP/HTTP collector').optional(),
    OTEL_TRACES_SAMPLER_ARG: z.coerce
      .number({ message: 'must be a number from 0 to 1' })
      .min(0, 'must be a number from 0 to 1')
      .max(1, 'must be a number from 0 to 1')
      .default(1),
  };
}

/** Metrics and tracing settings, from the variables `observabilityEnv` reads. */
export function observabilitySettings(vars: {
  NODE_ENV: string;
  METRICS: 'on' | 'off';
  METRICS_PORT?: number | undefined;
  METRICS_TOKEN?: string | undefined;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_TRACES_SAMPLER_ARG: number;
}) {
  return {
    metrics: {
      enabled: vars.METRICS === 'on',
      production: vars.NODE_ENV === 'production',
      port: vars.METRICS_PORT,
      token: vars.METRICS_TOKEN,
    },
    tracing: { endpoint: vars.OTEL_EXPORTER_OTLP_ENDPOINT, sampleRatio: vars.OTEL_TRACES_SAMPLER_ARG },
  };
}
