import type { IncomingMessage, ServerResponse } from 'node:http';
import { duffyMetrics } from './duffy-metrics';

/** What Express puts on a request once a route matched (`route.path` is the template). */
interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

/** The route label: the matched template (`/api/v1/sessions/:id`), never the concrete path. */
export function routeTemplateOf(req: RoutedRequest): string {
  const path = req.route?.path;
  if (typeof path !== 'string') return 'unmatched';
  return `${req.baseUrl ?? ''}${path}` || '/';
}

/**
 * Express middleware recording `duffy_http_requests_total` and
 * `duffy_http_request_duration_seconds` when the answer is sent, by method, route template and
 * status. Mount it before the routes.
 */
export function httpMetrics(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const started = process.hrtime.bigint();
  res.once('finish', () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const labels = {
      method: req.method ?? 'GET',
      route: routeTemplateOf(req as RoutedRequest),
      status: String(res.statusCode),
    };
    const metrics = duffyMetrics();
    metrics.httpRequests.inc(labels);
    metrics.httpRequestSeconds.observe(labels, seconds);
  });
  next();
}
