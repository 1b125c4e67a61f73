// `app`: the REST API server.
import {
  ConfigDelta,
  LOGLEVELS,
  LoggingConfig,
  Nested,
  NonEmptyStr,
  OneOf,
  Optional,
  Port,
} from './decorators';
import { RetriesSchema } from './retries.schema';

export class AppSchema {
  @Optional() @NonEmptyStr() host?: string;
  @Optional() @Port() port?: number;
  @Optional() @OneOf(LOGLEVELS) loglevel?: string;
  @Optional() @LoggingConfig() logging?: Record<string, unknown>;
  @Optional() @Nested(() => RetriesSchema) retries?: RetriesSchema;
  /** How long POST /sessions waits for nodes (this implementation's addition). */
  @Optional() @ConfigDelta() 'session-wait'?: string | number;
}
