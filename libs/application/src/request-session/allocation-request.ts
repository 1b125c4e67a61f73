import type { NodeSpec, Requester } from '@app/domain';

/** A session request once its owner is known and its pools checked. */
export interface AllocationRequest {
  tenant: string;
  specs: NodeSpec[];
  idempotencyKey: string | null;
  requester: Requester;
  correlationId?: string;
  /** How long it may wait in line when not all nodes are ready; refused at once without. */
  waitMs?: number;
}
