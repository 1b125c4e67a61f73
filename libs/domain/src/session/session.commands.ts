import { Command } from '../decider';
import { AllocatedNode, NodeSpec, RetiredBy } from './session.events';

export interface Requester {
  name: string;
  isAdmin: boolean;
}

export type RequestSession = Command<
  'RequestSession',
  {
    sessionId: number;
    tenant: string;
    specs: NodeSpec[];
    idempotencyKey: string | null;
    requestedBy: string;
    /** The owner's effective lifetimes (ms). */
    lifetimeMs: number;
    lifetimeMaxMs: number;
    now: string;
  }
>;
/** Puts a request that found too few nodes in line until `deadline` (clamped to its expiry). */
export type QueueSession = Command<
  'QueueSession',
  { deadline: string; facts: Record<string, unknown>; now: string }
>;
export type AllocateNodes = Command<'AllocateNodes', { nodes: AllocatedNode[]; now: string }>;
export type ActivateSession = Command<'ActivateSession', { now: string }>;
export type ExtendSession = Command<
  'ExtendSession',
  {
    requester: Requester;
    /** API form: signed delta (`+1h`, `-30m`) or ISO datetime. */
    expiresAt: string;
    /** The session owner's effective session-lifetime-max (ms), not the requester's (W-C5). */
    ownerLifetimeMaxMs: number;
    now: string;
  }
>;
export type RetireSession = Command<
  'RetireSession',
  { by: RetiredBy; requester: Requester; reason?: string; now: string }
>;
export type FailSession = Command<
  'FailSession',
  { reason: string; detail: string; facts?: Record<string, unknown>; now: string }
>;

export type SessionCommand =
  | RequestSession
  | QueueSession
  | AllocateNodes
  | ActivateSession
  | ExtendSession
  | RetireSession
  | FailSession;
