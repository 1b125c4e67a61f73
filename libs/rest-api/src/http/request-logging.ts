import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamicModule, LoggerService } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import type { Options } from 'pino-http';
import type { RequestWithCaller } from '../auth/caller';
import { requestIdOf } from './request-id.middleware';

type LoggedRequest = IncomingMessage &
  RequestWithCaller & { id?: string; route?: { path?: string } };

// Scraped every few seconds: worth a line only when someone asks for debug.
const PROBE_PATHS = new Set(['/metrics', '/api/v1/health', '/api/v1/ready']);

/** The route template (`/api/v1/sessions/:id`), never the path with ids; `unmatched` for 404s. */
export function routeTemplate(req: IncomingMessage): string {
  const path = (req as LoggedRequest).route?.path;
  return typeof path === 'string' ? path : 'unmatched';
}

/**
 * pino-http's options: one line per request when it is answered, with request id, tenant,
 * method, route template, status and duration. Only those: no headers (Authorization), no
 * bodies, no query strings.
 */
export function requestLogOptions(logger: Logger): Options {
  return {
    logger,
    genReqId: (req) => (req as LoggedRequest).id ?? requestIdOf(req),
    customAttributeKeys: { reqId: 'request_id', responseTime: 'duration_ms' },
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (req, res, error) => {
      if (error || res.statusCode >= 500) return 'error';
      return PROBE_PATHS.has((req.url ?? '').split('?')[0]) ? 'debug' : 'info';
    },
    customSuccessObject: (req, res, value) => requestFields(req, res, value),
    customErrorObject: (req, res, _error, value) => requestFields(req, res, value),
    customSuccessMessage: (req, res) => `${req.method} ${routeTemplate(req)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${routeTemplate(req)} ${res.statusCode}`,
  };
}

function requestFields(req: IncomingMessage, res: ServerResponse, value: object): object {
  const r = req as LoggedRequest;
  const { duration_ms } = value as { duration_ms?: number };
  // request_id is bound to the request's logger already (quietReqLogger).
  return {
    tenant: r.caller?.name ?? null,
    method: req.method,
    route: routeTemplate(req),
    status: res.statusCode,
    duration_ms,
  };
}

/** nestjs-pino over the service's logger: Nest's own lines and the request lines share it. */
export function requestLoggingModule(logger: Logger): DynamicModule {
  return LoggerModule.forRoot({ pinoHttp: requestLogOptions(logger) });
}

/**
 * Nest's own lines through pino, its `log` level (route mapping, module start-up: a screenful
 * at every start) as debug; warnings and errors as they are.
 */
export function nestLogger(pinoNest: LoggerService): LoggerService {
  return {
    log: (message: unknown, ...rest: unknown[]) => pinoNest.debug?.(message, ...rest),
    error: (message: unknown, ...rest: unknown[]) => pinoNest.error(message, ...rest),
    warn: (message: unknown, ...rest: unknown[]) => pinoNest.warn(message, ...rest),
    debug: (message: unknown, ...rest: unknown[]) => pinoNest.debug?.(message, ...rest),
    verbose: (message: unknown, ...rest: unknown[]) => pinoNest.verbose?.(message, ...rest),
    fatal: (message: unknown, ...rest: unknown[]) => pinoNest.fatal?.(message, ...rest),
  };
}
