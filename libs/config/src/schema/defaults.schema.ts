// `defaults`: tenant defaults; all three keys are required once the section exists.
import { ConfigDelta, IntAtLeast, Nested, Optional, Required } from './decorators';
import { RetriesSchema } from './retries.schema';

export class DefaultsSchema {
  @Required() @ConfigDelta() 'session-lifetime'!: string | number;
  @Required() @ConfigDelta() 'session-lifetime-max'!: string | number;
  @Required() @IntAtLeast(1) 'node-quota'!: number;
  @Optional() @Nested(() => RetriesSchema) retries?: RetriesSchema;
}
