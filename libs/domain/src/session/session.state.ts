import { AllocatedNode, NodeSpec, SessionEvent } from './session.events';

export type SessionStatus =
  'absent' | 'requested' | 'queued' | 'allocated' | 'active' | 'retired' | 'failed';

export interface SessionState {
  status: SessionStatus;
  sessionId: number;
  tenant: string;
  specs: NodeSpec[];
  idempotencyKey: string | null;
  createdAt: string | null;
  expiresAt: string | null;
  /** While queued: when the wait ends in `deadline_passed`. */
  deadline: string | null;
  nodes: AllocatedNode[];
  retiredAt: string | null;
  failure: { reason: string; detail: string; facts?: Record<string, unknown> } | null;
}

export const initialSessionState = (): SessionState => ({
  status: 'absent',
  sessionId: 0,
  tenant: '',
  specs: [],
  idempotencyKey: null,
  createdAt: null,
  expiresAt: null,
  deadline: null,
  nodes: [],
  retiredAt: null,
  failure: null,
});

export function evolveSession(state: SessionState, event: SessionEvent): SessionState {
  switch (event.type) {
    case 'SessionRequested': {
      const { sessionId, tenant, specs, idempotencyKey, createdAt, expiresAt } = event.data;
      return {
        ...state,
        status: 'requested',
        sessionId,
        tenant,
        specs,
        idempotencyKey,
        createdAt,
        expiresAt,
      };
    }
    case 'SessionQueued':
      return { ...state, status: 'queued', deadline: event.data.deadline };
    case 'NodesAllocated':
      return { ...state, status: 'allocated', nodes: event.data.nodes };
    case 'SessionActivated':
      return { ...state, status: 'active' };
    case 'SessionExtended':
      return { ...state, expiresAt: event.data.expiresAt };
    case 'SessionRetired':
      return { ...state, status: 'retired', retiredAt: event.data.at };
    case 'SessionFailed':
      return {
        ...state,
        status: 'failed',
        failure: {
          reason: event.data.reason,
          detail: event.data.detail,
          ...(event.data.facts ? { facts: event.data.facts } : {}),
        },
      };
  }
}

/** Allocated or active, and not retired: the session holds its nodes. */
export const sessionHoldsNodes = (s: SessionState): boolean =>
  s.status === 'allocated' || s.status === 'active';

/** Waiting in line for its nodes: holds quota, no node. */
export const sessionIsQueued = (s: SessionState): boolean => s.status === 'queued';
