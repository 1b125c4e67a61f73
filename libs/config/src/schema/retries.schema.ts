// Retry tuning shared by `app.retries` and `defaults.retries` (each key optional).
import { IntAtLeast, NumberAtLeast, Optional } from './decorators';

export class RetriesSchema {
  @Optional() @IntAtLeast(1) 'no-attempts'?: number;
  @Optional() @NumberAtLeast(0) 'delay-min'?: number;
  @Optional() @NumberAtLeast(0) 'delay-max'?: number;
  @Optional() @NumberAtLeast(1) 'delay-backoff-factor'?: number;
  @Optional() @NumberAtLeast(0) 'delay-add-fuzz'?: number;
}
