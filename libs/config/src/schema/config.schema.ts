// The whole file tree: every section optional, as in the original.
import { AppSchema } from './app.schema';
import { ClientSchema } from './client.schema';
import { DatabaseSchema, EventStoreSchema } from './database.schema';
import { FreeMapping, Nested, Optional, Required } from './decorators';
import { DefaultsSchema } from './defaults.schema';
import { MetaclientSchema } from './metaclient.schema';
import { ObservabilitySchema } from './observability.schema';
import { TasksSchema } from './tasks.schema';

/** Pools are checked one by one after inheritance (see pools.ts), so here they are free-form. */
export class NodepoolsSchema {
  @Optional() @FreeMapping() abstract?: Record<string, unknown>;
  @Required() @FreeMapping() concrete!: Record<string, unknown>;
}

export class ConfigSchema {
  @Optional() @Nested(() => ClientSchema) client?: ClientSchema;
  @Optional() @Nested(() => AppSchema) app?: AppSchema;
  @Optional() @Nested(() => MetaclientSchema) metaclient?: MetaclientSchema;
  @Optional() @Nested(() => TasksSchema) tasks?: TasksSchema;
  @Optional() @Nested(() => DatabaseSchema) database?: DatabaseSchema;
  @Optional() @Nested(() => EventStoreSchema) eventstore?: EventStoreSchema;
  @Optional() @Nested(() => DefaultsSchema) defaults?: DefaultsSchema;
  @Optional() @Nested(() => NodepoolsSchema) nodepools?: NodepoolsSchema;
  @Optional() @Nested(() => ObservabilitySchema) observability?: ObservabilitySchema;
}
