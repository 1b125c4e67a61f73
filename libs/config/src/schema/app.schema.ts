// `app`: the REST API server.
import {
  ConfigDelta,
  IntAtLeast,
  LOGLEVELS,
  LoggingConfig,
  Nested,
  NonEmptyStr,
  OneOf,
  Optional,
  Port,
} from './decorators';
import { RetriesSchema } from './retries.schema';

/** `app.authentication`: failed-login limits and the bcrypt worker pool (this implementation's). */
export class AuthenticationSchema {
  @Optional() @IntAtLeast(0) 'failures-per-name'?: number;
  @Optional() @IntAtLeast(0) 'failures-per-address'?: number;
  @Optional() @ConfigDelta() 'failure-window'?: string | number;
  /** 0: bcrypt on the event loop, as before the pool (for comparison only). */
  @Optional() @IntAtLeast(0) 'verify-threads'?: number;
  @Optional() @IntAtLeast(1) 'verify-queue'?: number;
}

export class AppSchema {
  @Optional() @NonEmptyStr() host?: string;
  @Optional() @Port() port?: number;
  @Optional() @OneOf(LOGLEVELS) loglevel?: string;
  @Optional() @LoggingConfig() logging?: Record<string, unknown>;
  @Optional() @Nested(() => RetriesSchema) retries?: RetriesSchema;
  /** How long POST /sessions waits for nodes (this implementation's addition). */
  @Optional() @ConfigDelta() 'session-wait'?: string | number;
  @Optional() @Nested(() => AuthenticationSchema) authentication?: AuthenticationSchema;
}
