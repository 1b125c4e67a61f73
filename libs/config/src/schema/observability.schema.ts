// `observability`: the status ports of the services run apart and the api's readiness rule
// (this implementation's addition; the original has no such section).
import { Check, ConfigDelta, Nested, NonEmptyStr, Optional } from './decorators';

/** 1-65535 listens there, 0 takes the service's default port, `false` switches the server off. */
const StatusPort = (): PropertyDecorator =>
  Check(
    'isStatusPort',
    (v) => v === false || (Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 65535),
    'must be an integer between 0 and 65535 (0: the default port) or false (no status server)',
  );

export class StatusSchema {
  @Optional() @NonEmptyStr() host?: string;
  @Optional() @StatusPort() 'projector-port'?: number | false;
  @Optional() @StatusPort() 'provisioner-port'?: number | false;
  @Optional() @StatusPort() 'metaclient-port'?: number | false;
}

export class ReadySchema {
  /** How far (in time) the read models may be behind the event log before /ready says no. */
  @Optional() @ConfigDelta() 'max-projection-lag'?: string | number;
}

export class ObservabilitySchema {
  @Optional() @Nested(() => StatusSchema) status?: StatusSchema;
  @Optional() @Nested(() => ReadySchema) ready?: ReadySchema;
}
