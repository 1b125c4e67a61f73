import { AllocatedNode, NodeSpec, SessionEvent } from './session.events';

export type SessionStatus = 'absent' | 'requested' | 'allocated' | 'active' | 'retired' | 'failed';

export interface SessionState {
  status: SessionStatus;
  sessionId: number;
  tenant: string;
  specs: NodeSpec[];
  idempotencyKey: string | null;
  createdAt: string | null;
  expiresAt: string | null;
  nodes: AllocatedNode[];
  retiredAt: string | null;
  failure: { reason: string; detail: string } | null;
}

export const initialSessionState = (): SessionState => ({
  status: 'absent',
  sessionId: 0,
  tenant: '',
  specs: [],
  idempotencyKey: null,
  createdAt: null,
  expiresAt: null,
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
        failure: { reason: event.data.reason, detail: event.data.detail },
      };
  }
}

/** Allocated or active, and not retired: the session holds its nodes. */
export const sessionHoldsNodes = (s: SessionState): boolean =>
  s.status === 'allocated' || s.status === 'active';
