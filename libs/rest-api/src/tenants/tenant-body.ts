import { InvalidDeltaError, parseConfigDelta } from '@app/config';
import type { TenantChanges } from '@app/application';
import { Problem } from '../http/problem';

const invalid = (detail: string) => new Problem(422, 'validation_error', detail);
const UPDATE_KEYS = [
  'ssh_key',
  'api_key',
  'node_quota',
  'session_lifetime',
  'session_lifetime_max',
  'is_auditor',
];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Lifetimes above this are nonsense (and beyond what an interval and a Date can hold). */
const MAX_LIFETIME_MS = 100 * 365 * 86_400_000;

export type TenantBody =
  { kind: 'retire'; active: boolean } | { kind: 'update'; changes: TenantChanges };

/**
 * PUT /tenants body (compat §1.5 T4): an update body when any of the five keys is present (then
 * `active` is ignored), else a retire body `{"active": bool}`; anything else is a 422.
 */
export function parseTenantBody(body: unknown): TenantBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('body: must be an object');
  }
  const b = body as Record<string, unknown>;
  if (UPDATE_KEYS.some((k) => k in b)) return { kind: 'update', changes: updateChanges(b) };
  if (typeof b.active === 'boolean') return { kind: 'retire', active: b.active };
  if ('active' in b) throw invalid('active: must be a boolean');
  throw invalid(
    'body: one of ssh_key, api_key, node_quota, session_lifetime, session_lifetime_max, is_auditor is required',
  );
}

function updateChanges(b: Record<string, unknown>): TenantChanges {
  const changes: TenantChanges = {};
  if (b.ssh_key !== undefined && b.ssh_key !== null) {
    if (typeof b.ssh_key !== 'string') throw invalid('ssh_key: must be a string');
    if (b.ssh_key !== '') changes.sshKey = b.ssh_key;
  }
  if (b.api_key !== undefined && b.api_key !== null) {
    if (typeof b.api_key !== 'string' || (b.api_key !== 'reset' && !UUID.test(b.api_key))) {
      throw invalid("api_key: must be a UUID or 'reset'");
    }
    changes.apiKey = b.api_key;
  }
  if (b.is_auditor !== undefined && b.is_auditor !== null) {
    if (typeof b.is_auditor !== 'boolean') throw invalid('is_auditor: must be a boolean');
    changes.isAuditor = b.is_auditor;
  }
  if ('node_quota' in b) changes.nodeQuota = nodeQuota(b.node_quota);
  if ('session_lifetime' in b) {
    changes.sessionLifetimeMs = lifetimeMs('session_lifetime', b.session_lifetime);
  }
  if ('session_lifetime_max' in b) {
    changes.sessionLifetimeMaxMs = lifetimeMs('session_lifetime_max', b.session_lifetime_max);
  }
  return changes;
}

export function nodeQuota(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 2_147_483_647) {
    throw invalid('node_quota: must be an integer > 0');
  }
  return value as number;
}

/** A config time delta (`6h`, `3600`, `"1d 2h"`) in ms, or null for "use the default". */
export function lifetimeMs(field: string, value: unknown): number | null {
  if (value === null || value === undefined) return null;
  let ms: number;
  try {
    ms = parseConfigDelta(value);
  } catch (error) {
    if (error instanceof InvalidDeltaError) throw invalid(`${field}: invalid time delta`);
    throw error;
  }
  if (ms <= 0 || ms > MAX_LIFETIME_MS) throw invalid(`${field}: must be between 1ms and 100 years`);
  return ms;
}
