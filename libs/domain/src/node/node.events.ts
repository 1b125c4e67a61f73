import { Event } from '../decider';

/** compat §2.4, in the original's enum order. */
export const NODE_STATES = [
  'unused',
  'provisioning',
  'ready',
  'contextualizing',
  'deployed',
  'deprovisioning',
  'done',
  'failed',
] as const;
export type NodeStatus = (typeof NODE_STATES)[number];

/** An admin adds an existing machine (POST /nodes); it starts `unused`. */
export type NodeRegistered = Event<
  'NodeRegistered',
  {
    nodeId: number;
    hostname: string;
    ipaddr: string;
    comment: string | null;
    pool: string | null;
    reusable: boolean;
    data: Record<string, unknown>;
    at: string;
  }
>;
/** A fill starts: a fresh placeholder (first event of its stream) or a reused `unused` node. */
export type NodeProvisioningStarted = Event<
  'NodeProvisioningStarted',
  { nodeId: number; pool: string; reusable: boolean; at: string }
>;
export type NodeProvisioningSucceeded = Event<
  'NodeProvisioningSucceeded',
  {
    nodeId: number;
    hostname: string;
    ipaddr: string;
    /** The playbook's result item for this node (compat `data.provision`). */
    provision: Record<string, unknown>;
    at: string;
  }
>;
/** Reusable nodes go back to `unused`; placeholders end `failed` (kept, not deleted: W-C9). */
export type NodeProvisioningFailed = Event<
  'NodeProvisioningFailed',
  { nodeId: number; reason: string; at: string }
>;
export type NodeReserved = Event<
  'NodeReserved',
  { nodeId: number; sessionId: number; tenant: string; pool: string; at: string }
>;
export type NodeContextualized = Event<
  'NodeContextualized',
  { nodeId: number; sessionId: number; at: string }
>;
/** Back to `ready` without the session: compensation, or a sibling node failed to deploy. */
export type NodeReleased = Event<
  'NodeReleased',
  { nodeId: number; sessionId: number; reason: string; at: string }
>;
export type NodeDeprovisioningStarted = Event<
  'NodeDeprovisioningStarted',
  { nodeId: number; sessionId: number | null; reason: string; at: string }
>;
/** Reusable → `unused`; otherwise → `done` (followed by NodeRetired). */
export type NodeDeprovisioned = Event<'NodeDeprovisioned', { nodeId: number; at: string }>;
export type NodeFailed = Event<
  'NodeFailed',
  { nodeId: number; reason: string; previous: NodeStatus; at: string }
>;
export type NodeRetired = Event<'NodeRetired', { nodeId: number; reason: string; at: string }>;
/** An admin takes the node out of allocation and fills; the machine and its state are kept. */
export type NodeMaintenanceStarted = Event<
  'NodeMaintenanceStarted',
  { nodeId: number; reason: string; at: string }
>;
/** Back into service: allocated and reused again as its state allows. */
export type NodeMaintenanceEnded = Event<
  'NodeMaintenanceEnded',
  { nodeId: number; reason: string; at: string }
>;
/** Free text an admin keeps in the node's history; the latest is the node's `comment`. */
export type NodeCommented = Event<'NodeCommented', { nodeId: number; comment: string; at: string }>;

export type NodeEvent =
  | NodeRegistered
  | NodeProvisioningStarted
  | NodeProvisioningSucceeded
  | NodeProvisioningFailed
  | NodeReserved
  | NodeContextualized
  | NodeReleased
  | NodeDeprovisioningStarted
  | NodeDeprovisioned
  | NodeFailed
  | NodeRetired
  | NodeMaintenanceStarted
  | NodeMaintenanceEnded
  | NodeCommented;

/** Every NodeEvent type, once (a Record: a new event type must be named here too). */
const NODE_EVENT_TYPES: Record<NodeEvent['type'], true> = {
  NodeRegistered: true,
  NodeProvisioningStarted: true,
  NodeProvisioningSucceeded: true,
  NodeProvisioningFailed: true,
  NodeReserved: true,
  NodeContextualized: true,
  NodeReleased: true,
  NodeDeprovisioningStarted: true,
  NodeDeprovisioned: true,
  NodeFailed: true,
  NodeRetired: true,
  NodeMaintenanceStarted: true,
  NodeMaintenanceEnded: true,
  NodeCommented: true,
};

/** Whether an event type read from the log (any stream) is one of this aggregate's. */
export function isNodeEventType(type: string): type is NodeEvent['type'] {
  return Object.hasOwn(NODE_EVENT_TYPES, type);
}
