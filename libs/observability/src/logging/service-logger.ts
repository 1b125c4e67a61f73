import pino, { type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import { correlationLogFields } from '../correlation';
import { REDACT_PATHS } from './redact-paths';
import { scrubSecrets } from './scrub-secrets';

export type LogFormat = 'json' | 'pretty';

/** Duffy's levels (app.loglevel, metaclient.loglevel) and pino's `silent`. */
export type DuffyLogLevel =
  'trace' | 'debug' | 'info' | 'warning' | 'warn' | 'error' | 'critical' | 'fatal' | 'silent';

export interface ServiceLoggerOptions {
  /** Default `info`. */
  level?: DuffyLogLevel | string;
  /** Default: DUFFY_LOG_FORMAT, else pretty when the destination is a TTY, else JSON lines. */
  format?: LogFormat;
  /** Where lines go; default stdout. */
  destination?: NodeJS.WritableStream;
  /** Environment read for DUFFY_LOG_FORMAT; default process.env. */
  env?: NodeJS.ProcessEnv;
}

const PINO_LEVELS: Record<string, Level | 'silent'> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  warn: 'warn',
  error: 'error',
  critical: 'fatal',
  fatal: 'fatal',
  silent: 'silent',
};

/** pino's level for a configured one (`warning` → `warn`, `critical` → `fatal`). */
export function pinoLevel(level: string | undefined): Level | 'silent' {
  const found = PINO_LEVELS[(level ?? 'info').toLowerCase()];
  if (!found) throw new Error(`unknown log level '${level}'`);
  return found;
}

/** The format asked for, else DUFFY_LOG_FORMAT, else pretty on a TTY, else JSON. */
export function logFormat(
  destination: NodeJS.WritableStream,
  format?: LogFormat,
  env: NodeJS.ProcessEnv = process.env,
): LogFormat {
  if (format) return format;
  const fromEnv = env.DUFFY_LOG_FORMAT;
  if (fromEnv === 'json' || fromEnv === 'pretty') return fromEnv;
  if (fromEnv !== undefined && fromEnv !== '') {
    throw new Error(`DUFFY_LOG_FORMAT: '${fromEnv}' is neither json nor pretty`);
  }
  return (destination as { isTTY?: boolean }).isTTY ? 'pretty' : 'json';
}

/**
 * pino's options for a Duffy service: `service` on every line, ISO times, level names, secret
 * fields redacted, and the running unit of work's `correlation_id`. The api's pino-http uses the
 * same logger, so its request lines share them.
 */
export function serviceLoggerOptions(service: string, level?: string): LoggerOptions {
  return {
    level: pinoLevel(level),
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    mixin: correlationLogFields,
  };
}

/** Every line through scrubSecrets before it reaches `target`. */
export function scrubbingDestination(target: NodeJS.WritableStream): DestinationStream {
  return { write: (line: string) => void target.write(scrubSecrets(line)) };
}

/** A service's logger: JSON lines (pretty on a TTY or when asked), secrets redacted and scrubbed. */
export function serviceLogger(service: string, options: ServiceLoggerOptions = {}): Logger {
  const out = options.destination ?? process.stdout;
  const format = logFormat(out, options.format, options.env);
  const target =
    format === 'pretty'
      ? pinoPretty({ destination: out, sync: true, ignore: 'pid,hostname,service' })
      : out;
  return pino(serviceLoggerOptions(service, options.level), scrubbingDestination(target));
}
