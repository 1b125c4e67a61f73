import { Event } from '../decider';

/** Tenant settings that may be null, meaning "use the configured default". */
export interface TenantLimits {
  nodeQuota: number | null;
  sessionLifetimeMs: number | null;
  sessionLifetimeMaxMs: number | null;
}

export type TenantCreated = Event<
  'TenantCreated',
  TenantLimits & {
    tenantId: number;
    name: string;
    isAdmin: boolean;
    /** Reads everything, changes nothing. Absent in older logs: false. */
    isAuditor?: boolean;
    sshKey: string;
    /** bcrypt hash; the key itself never enters the log. */
    apiKeyHash: string;
    at: string;
  }
>;
export type TenantUpdated = Event<
  'TenantUpdated',
  Partial<TenantLimits> & { name: string; sshKey?: string; isAuditor?: boolean; at: string }
>;
export type TenantApiKeyRotated = Event<
  'TenantApiKeyRotated',
  { name: string; apiKeyHash: string; at: string }
>;
export type TenantRetired = Event<'TenantRetired', { name: string; at: string }>;
export type TenantReactivated = Event<'TenantReactivated', { name: string; at: string }>;
export type TenantNodesAllotted = Event<
  'TenantNodesAllotted',
  { name: string; sessionId: number; count: number; at: string }
>;
export type TenantNodesReturned = Event<
  'TenantNodesReturned',
  { name: string; sessionId: number; count: number; at: string }
>;

export type TenantEvent =
  | TenantCreated
  | TenantUpdated
  | TenantApiKeyRotated
  | TenantRetired
  | TenantReactivated
  | TenantNodesAllotted
  | TenantNodesReturned;

/** Every TenantEvent type, once (a Record: a new event type must be named here too). */
const TENANT_EVENT_TYPES: Record<TenantEvent['type'], true> = {
  TenantCreated: true,
  TenantUpdated: true,
  TenantApiKeyRotated: true,
  TenantRetired: true,
  TenantReactivated: true,
  TenantNodesAllotted: true,
  TenantNodesReturned: true,
};

/** Whether an event type read from the log (any stream) is one of this aggregate's. */
export function isTenantEventType(type: string): type is TenantEvent['type'] {
  return Object.hasOwn(TENANT_EVENT_TYPES, type);
}
