// The status port of a service run apart (projector, provisioner, metaclient): plain node:http
// answering /health (liveness), /ready (its checks) and /metrics (Prometheus text format).
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { duffyMetrics } from '../metrics';
import {
  DEFAULT_CHECK_TIMEOUT_MS,
  HealthReport,
  ReadinessCheck,
  livenessReport,
  runReadinessChecks,
} from './readiness-check';

/** What serves /metrics: a prom-client Registry fits. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface StatusServerOptions {
  host: string;
  /** 0: any free port (tests); read the chosen one from the result. */
  port: number;
  /** Named in the answers (`service` field of /health). */
  service: string;
  /** A function when the checks change over the process's life (a standby that becomes active). */
  checks: readonly ReadinessCheck[] | (() => readonly ReadinessCheck[]);
  /** Default: the process's one registry (`duffyMetrics()`), its gauge sources collected. */
  metrics?: MetricsSource;
  /** Per check; default 2 s. */
  checkTimeoutMs?: number;
  /** Seconds a client should wait before asking /ready again after a 503; default 5. */
  retryAfterSeconds?: number;
}

export interface StatusServer {
  readonly host: string;
  readonly port: number;
  /** http://host:port */
  readonly url: string;
  close(): Promise<void>;
}

export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const metrics: MetricsSource = options.metrics ?? {
    contentType: duffyMetrics().contentType,
    metrics: () => duffyMetrics().scrape(),
  };
  const retryAfter = String(options.retryAfterSeconds ?? 5);

  const answer = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 405, { detail: 'only GET', code: 'method_not_allowed' }, { Allow: 'GET' });
    }
    if (path === '/health') {
      return send(res, 200, { ...livenessReport(), service: options.service });
    }
    if (path === '/ready') {
      const report: HealthReport & { service?: string } = await runReadinessChecks(
        typeof options.checks === 'function' ? options.checks() : options.checks,
        timeoutMs,
      );
      report.service = options.service;
      return report.status === 'ok'
        ? send(res, 200, report)
        : send(res, 503, report, { 'Retry-After': retryAfter });
    }
    if (path === '/metrics') {
      const text = await metrics.metrics();
      res.writeHead(200, { 'Content-Type': metrics.contentType });
      res.end(text);
      return;
    }
    send(res, 404, { detail: `no such path: ${path}`, code: 'not_found' });
  };

  const server = createServer((req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, { detail: String(error), code: 'internal_error' });
      else res.destroy();
    });
  });
  // A scraper's keep-alive connection must not hold close() up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    host: options.host,
    port,
    url: `http://${hostInUrl}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/**
 * Like startStatusServer, but a port already in use (a second projector on the same host, a
 * standby) is a warning, not a reason for the service itself to stop: it runs without one.
 */
export async function startStatusServerOrWarn(
  options: StatusServerOptions,
  warn: (line: string) => void,
): Promise<StatusServer | undefined> {
  try {
    return await startStatusServer(options);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error;
    warn(
      `status port ${options.host}:${options.port} is in use: ${options.service} runs without /health, /ready and /metrics`,
    );
    return undefined;
  }
}
