import { TenantEvent, TenantLimits } from './tenant.events';

export interface TenantState extends TenantLimits {
  exists: boolean;
  tenantId: number;
  name: string;
  isAdmin: boolean;
  /** Reads every history, may change nothing. */
  isAuditor: boolean;
  sshKey: string;
  apiKeyHash: string;
  createdAt: string | null;
  retiredAt: string | null;
  /** Nodes allotted per session id and not yet returned: the quota in use. */
  allotments: Record<number, number>;
  allotted: number;
}

export const initialTenantState = (): TenantState => ({
  exists: false,
  tenantId: 0,
  name: '',
  isAdmin: false,
  isAuditor: false,
  sshKey: '',
  apiKeyHash: '',
  nodeQuota: null,
  sessionLifetimeMs: null,
  sessionLifetimeMaxMs: null,
  createdAt: null,
  retiredAt: null,
  allotments: {},
  allotted: 0,
});

export function evolveTenant(state: TenantState, event: TenantEvent): TenantState {
  switch (event.type) {
    case 'TenantCreated': {
      const { at, ...data } = event.data;
      return {
        ...state,
        ...data,
        isAuditor: data.isAuditor ?? false,
        exists: true,
        createdAt: at,
        retiredAt: null,
      };
    }
    case 'TenantUpdated': {
      const { at: _at, name: _name, ...changes } = event.data;
      return { ...state, ...changes };
    }
    case 'TenantApiKeyRotated':
      return { ...state, apiKeyHash: event.data.apiKeyHash };
    case 'TenantRetired':
      return { ...state, retiredAt: event.data.at };
    case 'TenantReactivated':
      return { ...state, retiredAt: null };
    case 'TenantNodesAllotted': {
      const { sessionId, count } = event.data;
      const allotments = {
        ...state.allotments,
        [sessionId]: (state.allotments[sessionId] ?? 0) + count,
      };
      return { ...state, allotments, allotted: state.allotted + count };
    }
    case 'TenantNodesReturned': {
      const { sessionId, count } = event.data;
      const left = (state.allotments[sessionId] ?? 0) - count;
      const allotments = { ...state.allotments };
      if (left > 0) allotments[sessionId] = left;
      else delete allotments[sessionId];
      return { ...state, allotments, allotted: state.allotted - count };
    }
  }
}
