// What `duffy status` asks and prints: each service's /health and /ready (terminus' shape:
// {status, info, error, details}), one line per service for an operator. No relative imports,
// so the Nest test project can load this file too (test/cli/status.e2e.pg.spec.ts).
import type { DuffyConfig } from '../../../../libs/config/src/index.js';

export interface StatusTarget {
  /** api, projector, provisioner, metaclient */
  service: string;
  healthUrl: string;
  readyUrl: string;
}

export interface CheckStatus {
  name: string;
  status: 'up' | 'down';
  message?: string;
  /** lag_seconds, rtt_ms, …: what the check reported beyond up/down. */
  details: Record<string, unknown>;
}

export interface ServiceStatus {
  service: string;
  /** Where it was asked (the /ready URL). */
  url: string;
  /** /health answered 200. */
  live: boolean;
  /** /ready answered 200. */
  ready: boolean;
  checks: CheckStatus[];
  /** Why it could not be asked at all (connection refused, timeout, not JSON). */
  error?: string;
}

/** A wildcard listen address is asked on the loopback interface. */
function reachable(host: string): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return h.includes(':') ? `[${h}]` : h;
}

/**
 * The api (app.host/app.port) and the services run apart that this configuration has: the
 * projector always, the provisioner with a `tasks` section, the metaclient with a `metaclient`
 * section; a status port set to false is not asked.
 */
export function statusTargets(config: DuffyConfig): StatusTarget[] {
  const api = `http://${reachable(config.app.host)}:${config.app.port}/api/v1`;
  const targets: StatusTarget[] = [
    { service: 'api', healthUrl: `${api}/health`, readyUrl: `${api}/ready` },
  ];
  const { host, ports } = config.observability.status;
  const present = {
    projector: true,
    provisioner: config.raw.tasks !== undefined,
    metaclient: config.metaclient !== undefined,
  };
  for (const service of ['projector', 'provisioner', 'metaclient'] as const) {
    const port = ports[service];
    if (!present[service] || port === null) continue;
    const base = `http://${reachable(host)}:${port}`;
    targets.push({ service, healthUrl: `${base}/health`, readyUrl: `${base}/ready` });
  }
  return targets;
}

interface Answer {
  status: number;
  body: unknown;
}

async function getJson(url: string, timeoutMs: number): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // A kept-alive connection the server closed meanwhile: ask once more on a fresh one.
    if ((error as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw error;
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  }
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    throw new Error(`${url} answered ${res.status} with something that is not JSON`);
  }
}

function reason(error: unknown): string {
  const e = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(error);
}

function checksOf(body: unknown): CheckStatus[] {
  const details = (body as { details?: unknown })?.details;
  if (typeof details !== 'object' || details === null) return [];
  return Object.entries(details as Record<string, Record<string, unknown>>).map(([name, d]) => {
    const { status, message, ...rest } = d ?? {};
    return {
      name,
      status: status === 'up' ? 'up' : 'down',
      ...(typeof message === 'string' ? { message } : {}),
      details: rest,
    };
  });
}

/** Asks one service; never throws (an unreachable service is a status too). */
export async function askService(target: StatusTarget, timeoutMs = 5_000): Promise<ServiceStatus> {
  const base = { service: target.service, url: target.readyUrl };
  try {
    const [health, ready] = await Promise.all([
      getJson(target.healthUrl, timeoutMs),
      getJson(target.readyUrl, timeoutMs),
    ]);
    return {
      ...base,
      live: health.status === 200,
      ready: ready.status === 200,
      checks: checksOf(ready.body),
    };
  } catch (error) {
    return { ...base, live: false, ready: false, checks: [], error: reason(error) };
  }
}

function checkText(c: CheckStatus): string {
  const extra: string[] = [];
  if (typeof c.details.lag_seconds === 'number') extra.push(`${c.details.lag_seconds} s`);
  if (typeof c.details.rtt_ms === 'number') extra.push(`${c.details.rtt_ms} ms`);
  if (c.status === 'down' && c.message) extra.push(c.message);
  return `${c.name} ${c.status}${extra.length ? ` (${extra.join('; ')})` : ''}`;
}

/** `api ready: event_store up, read_models up, projection_lag up (0.2 s)` */
export function statusLine(s: ServiceStatus): string {
  if (s.error !== undefined) return `${s.service} unreachable at ${s.url}: ${s.error}`;
  const state = s.ready ? 'ready' : s.live ? 'NOT READY' : 'NOT LIVE';
  const checks = s.checks.map(checkText).join(', ');
  return `${s.service} ${state}${checks ? `: ${checks}` : ''}`;
}

export function allReady(statuses: readonly ServiceStatus[]): boolean {
  return statuses.every((s) => s.live && s.ready);
}
