import type { HistoryEntryBody } from '@app/contracts';
import { MASKED } from '../queries/views';
import { actorOf } from './actor';
import type { AuditEvent } from './audit-event';
import { summarizeEvent } from './summarize-event';

/** One event as the auditors' endpoints show it; an API key's hash is masked at any depth. */
export function historyEntry(
  e: AuditEvent,
  isAdminTenant: (name: string) => boolean,
): HistoryEntryBody {
  const correlationId = e.metadata.correlationId;
  return {
    position: e.position,
    stream: e.stream,
    revision: e.revision,
    time: e.time.toISOString(),
    type: e.type,
    ...actorOf(e.metadata, isAdminTenant),
    correlation_id: typeof correlationId === 'string' ? correlationId : null,
    summary: summarizeEvent(e),
    data: (holdsApiKeyHash(e.data) ? masked(e.data) : (e.data ?? {})) as Record<string, unknown>,
  };
}

/** A walk without allocation: almost no event holds a hash, and /events maps every one. */
function holdsApiKeyHash(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsApiKeyHash);
  for (const key in value) {
    if (key === 'apiKeyHash' || holdsApiKeyHash((value as Record<string, unknown>)[key]))
      return true;
  }
  return false;
}

function masked(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(masked);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'apiKeyHash' ? MASKED : masked(v)]),
  );
}
