import { AuditEventEntity } from './audit-event.entity';
import { NodeEntity } from './node.entity';
import { PoolLevelEntity } from './pool-level.entity';
import { ProjectionCheckpointEntity } from './projection-checkpoint.entity';
import { ProvisioningRunEntity } from './provisioning-run.entity';
import { SessionNodeEntity } from './session-node.entity';
import { SessionEntity } from './session.entity';
import { TenantEntity } from './tenant.entity';

export {
  AuditEventEntity,
  NodeEntity,
  PoolLevelEntity,
  ProjectionCheckpointEntity,
  ProvisioningRunEntity,
  SessionNodeEntity,
  SessionEntity,
  TenantEntity,
};

export const READ_MODEL_ENTITIES = [
  TenantEntity,
  SessionEntity,
  NodeEntity,
  SessionNodeEntity,
  PoolLevelEntity,
  AuditEventEntity,
  ProvisioningRunEntity,
  ProjectionCheckpointEntity,
];

/** The tables, in an order safe for TRUNCATE and comparisons. */
export const READ_MODEL_TABLES = [
  'tenants',
  'sessions',
  'nodes',
  'sessions_nodes',
  'pool_levels',
  'audit_events',
  'provisioning_runs',
  'projection_checkpoints',
] as const;
