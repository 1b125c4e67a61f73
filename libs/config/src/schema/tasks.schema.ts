// `tasks`: periodic work and the message bus (NATS here; Celery/Redis keys are accepted, ignored).
import { isConfigDelta, parseConfigDelta } from '../delta';
import { Check, ConfigDelta, FreeMapping, Nested, Optional } from './decorators';
import { natsServerList } from '../nats-servers';

/** A time delta above zero: a purge every 0s, or of nodes stale after 0s, is a mistake. */
const PositiveDelta = (): PropertyDecorator =>
  Check(
    'isPositiveDelta',
    (v) => isConfigDelta(v) && parseConfigDelta(v) > 0,
    (v) => `must be a time delta above zero (got '${String(v)}')`,
  );

export class IntervalSchema {
  @Optional() @ConfigDelta() interval?: string | number;
}

/** Off unless configured; `interval` defaults to 10m, `older-than` to 2h. */
export class PurgeStaleNodesSchema {
  @Optional() @PositiveDelta() interval?: string | number;
  /** How long a node may stay provisioning, deprovisioning or failed before it is purged. */
  @Optional() @PositiveDelta() 'older-than'?: string | number;
}

export class PeriodicSchema {
  @Optional() @Nested(() => IntervalSchema) 'fill-pools'?: IntervalSchema;
  @Optional() @Nested(() => IntervalSchema) 'expire-sessions'?: IntervalSchema;
  @Optional()
  @Nested(() => PurgeStaleNodesSchema)
  'purge-stale-nodes'?: PurgeStaleNodesSchema;
}

export class NatsSchema {
  /** One server, or a cluster's as a comma-separated list (the nats CLI's `--server a,b,c`). */
  @Optional()
  @Check(
    'isNatsUrlList',
    (v) => natsServerList(v) !== undefined,
    'must be a nats:// URL, or several separated by commas',
  )
  url?: string;
  /** JetStream stream replicas: 3 on a 3-node cluster survives the loss of one node. */
  @Optional()
  @Check(
    'isReplicaCount',
    (v) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5,
    'must be an integer between 1 and 5',
  )
  replicas?: number;
  /**
   * Namespace of the JetStream stream, subjects and consumers (DUFFY_<PREFIX>_EVENTS,
   * duffy.<prefix>.events.>, duffy-<prefix>-<saga>); default: from the event store's id.
   */
  @Optional()
  @Check(
    'isJetStreamNamespace',
    (v) => typeof v === 'string' && /^[a-z0-9][a-z0-9_-]{0,39}$/.test(v),
    "must be 1-40 of a-z, 0-9, '_' and '-', starting with a letter or digit",
  )
  prefix?: string;
}

export class TasksSchema {
  @Optional() @Nested(() => PeriodicSchema) periodic?: PeriodicSchema;
  @Optional() @Nested(() => NatsSchema) nats?: NatsSchema;
  /** The original's Celery settings: accepted so existing files load, otherwise ignored. */
  @Optional() @FreeMapping() celery?: Record<string, unknown>;
  /** The original's Redlock server: accepted, ignored (streams' optimistic concurrency). */
  @Optional() @FreeMapping() locking?: Record<string, unknown>;
}
