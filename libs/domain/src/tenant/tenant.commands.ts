import { Command } from '../decider';
import { Defaults } from '../defaults';
import { TenantLimits } from './tenant.events';

export type CreateTenant = Command<
  'CreateTenant',
  TenantLimits & {
    tenantId: number;
    name: string;
    isAdmin: boolean;
    isAuditor?: boolean;
    sshKey: string;
    apiKeyHash: string;
    defaults: Defaults;
    now: string;
  }
>;
/** Only the keys present change; a null limit goes back to the default. */
export type UpdateTenant = Command<
  'UpdateTenant',
  Partial<TenantLimits> & {
    sshKey?: string;
    isAuditor?: boolean;
    apiKeyHash?: string;
    defaults: Defaults;
    now: string;
  }
>;
export type RetireTenant = Command<'RetireTenant', { now: string }>;
export type ReactivateTenant = Command<'ReactivateTenant', { now: string }>;
/** Reserves quota for a session's nodes; refused beyond the effective quota (non-admins). */
export type AllotNodes = Command<
  'AllotNodes',
  { sessionId: number; count: number; defaults: Defaults; now: string }
>;
/** Gives back what a session holds (all of it unless `count` says less). */
export type ReturnNodes = Command<
  'ReturnNodes',
  { sessionId: number; count?: number; now: string }
>;

export type TenantCommand =
  CreateTenant | UpdateTenant | RetireTenant | ReactivateTenant | AllotNodes | ReturnNodes;
