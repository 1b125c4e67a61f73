// Readiness checks and their report, in @nestjs/terminus' shape so the api (terminus) and the
// services run apart (status-server.ts) answer alike: {status, info, error, details}.

/** What one check found: `up`/`down` plus details (no secrets: they are served publicly). */
export type CheckDetails = Record<string, unknown> & { status: 'up' | 'down' };

export interface HealthReport {
  status: 'ok' | 'error';
  info: Record<string, CheckDetails>;
  error: Record<string, CheckDetails>;
  details: Record<string, CheckDetails>;
}

/**
 * One dependency to ask. `probe` resolves when it is usable (optionally with details such as a
 * lag) and rejects with the reason when it is not.
 */
export interface ReadinessCheck {
  name: string;
  probe(): Promise<Record<string, unknown> | void>;
}

/** A check that neither answers nor fails within this long counts as down. */
export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export class CheckFailed extends Error {
  constructor(
    message: string,
    /** Details to report with the failure (e.g. the lag that is too large). */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** Rejects after `ms` unless `work` settles first; the timer never keeps the process alive. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckFailed(`${what}: no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one check, bounded in time, and never rejects. */
export async function runCheck(
  check: ReadinessCheck,
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<CheckDetails> {
  try {
    const details = await withTimeout(
      Promise.resolve().then(() => check.probe()),
      timeoutMs,
      check.name,
    );
    return { ...(details ?? {}), status: 'up' };
  } catch (error) {
    const extra = error instanceof CheckFailed ? error.details : {};
    return { ...extra, status: 'down', message: withoutAddresses(messageOf(error)) };
  }
}

/** All checks at once (each bounded): `ok` only when every one is up. */
export async function runReadinessChecks(
  checks: readonly ReadinessCheck[],
  timeoutMs = DEFAULT_CHECK_TIMEOUT_MS,
): Promise<HealthReport> {
  const results = await Promise.all(checks.map((c) => runCheck(c, timeoutMs)));
  const report: HealthReport = { status: 'ok', info: {}, error: {}, details: {} };
  checks.forEach((c, i) => {
    const r = results[i];
    report.details[c.name] = r;
    if (r.status === 'up') report.info[c.name] = r;
    else report.error[c.name] = r;
  });
  if (Object.keys(report.error).length > 0) report.status = 'error';
  return report;
}

/** Liveness: the process answers; no dependency is asked. */
export function livenessReport(): HealthReport {
  return { status: 'ok', info: {}, error: {}, details: {} };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) {
    // AggregateError (e.g. ECONNREFUSED on both ::1 and 127.0.0.1) has an empty message.
    if (error.message) return error.message;
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    return error.name;
  }
  return String(error);
}

/**
 * The answers are public: a reason such as `connect ECONNREFUSED 10.0.0.5:5432` loses the
 * address (and any URL, which may hold credentials); the kind of failure stays.
 */
export function withoutAddresses(message: string): string {
  return message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s()]+/gi, '<url>')
    .replace(/\[[0-9a-f:.]+\](?::\d+)?/gi, '<address>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<address>')
    .replace(/^Error: /, '');
}
