// `tasks`: periodic work and the message bus (NATS here; Celery/Redis keys are accepted, ignored).
import { Check, ConfigDelta, FreeMapping, Nested, Optional, UrlWith } from './decorators';

export class IntervalSchema {
  @Optional() @ConfigDelta() interval?: string | number;
}

export class PeriodicSchema {
  @Optional() @Nested(() => IntervalSchema) 'fill-pools'?: IntervalSchema;
  @Optional() @Nested(() => IntervalSchema) 'expire-sessions'?: IntervalSchema;
}

export class NatsSchema {
  @Optional() @UrlWith(['nats', 'tls', 'ws', 'wss'], 'a nats:// URL') url?: string;
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
