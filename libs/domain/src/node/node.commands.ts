import { Command } from '../decider';
import { NodeRegistered } from './node.events';

type At = { now: string };

export type RegisterNode = Command<'RegisterNode', Omit<NodeRegistered['data'], 'at'> & At>;
/** `reusable` only matters for a fresh placeholder; a registered node keeps its own. */
export type StartProvisioning = Command<
  'StartProvisioning',
  { nodeId: number; pool: string; reusable?: boolean } & At
>;
export type CompleteProvisioning = Command<
  'CompleteProvisioning',
  { hostname: string; ipaddr: string; provision: Record<string, unknown> } & At
>;
export type FailProvisioning = Command<'FailProvisioning', { reason: string } & At>;
export type ReserveNode = Command<
  'ReserveNode',
  { sessionId: number; tenant: string; pool: string } & At
>;
export type MarkContextualized = Command<'MarkContextualized', { sessionId: number } & At>;
export type ReleaseNode = Command<'ReleaseNode', { sessionId: number; reason: string } & At>;
export type StartDeprovisioning = Command<'StartDeprovisioning', { reason: string } & At>;
export type CompleteDeprovisioning = Command<'CompleteDeprovisioning', At>;
export type FailNode = Command<'FailNode', { reason: string } & At>;
export type RetireNode = Command<'RetireNode', { reason: string } & At>;
export type StartMaintenance = Command<'StartMaintenance', { reason: string } & At>;
export type EndMaintenance = Command<'EndMaintenance', { reason: string } & At>;
export type CommentNode = Command<'CommentNode', { comment: string } & At>;
/** Tear a node down through its pool's deprovisioning; the fill then provisions it afresh. */
export type ReprovisionNode = Command<'ReprovisionNode', { reason: string } & At>;
/** purge-stale: a node stuck in a transitional or failed state is cleaned or retired. */
export type PurgeStaleNode = Command<'PurgeStaleNode', { reason: string } & At>;

export type NodeCommand =
  | RegisterNode
  | StartProvisioning
  | CompleteProvisioning
  | FailProvisioning
  | ReserveNode
  | MarkContextualized
  | ReleaseNode
  | StartDeprovisioning
  | CompleteDeprovisioning
  | FailNode
  | RetireNode
  | StartMaintenance
  | EndMaintenance
  | CommentNode
  | ReprovisionNode
  | PurgeStaleNode;
