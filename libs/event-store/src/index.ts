export * from './event-store.port';
export * from './hash-chain';
export { PostgresEventStore } from './postgres/postgres-event-store';
export type { PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { PgliteEventStore } from './pglite/pglite-event-store';
export type { PgliteEventStoreOptions } from './pglite/pglite-event-store';
export { SqlEventStore } from './sql/sql-event-store';
export { EventStoreDbEventStore } from './eventstoredb/eventstoredb-event-store';
export type { EventStoreDbEventStoreOptions } from './eventstoredb/eventstoredb-event-store';
