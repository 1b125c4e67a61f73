import { randomBytes } from 'node:crypto';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';

// Handler tests run on the real PostgreSQL event store: one database per test file, one fresh
// schema (an empty event store) per call. Call closeTestEventStores() in afterAll.
let database: Promise<TestDatabase> | undefined;
const opened: PostgresEventStore[] = [];

export async function freshEventStore(): Promise<PostgresEventStore> {
  database ??= createTestDatabase('application');
  const schema = `es_${randomBytes(4).toString('hex')}`;
  const store = await PostgresEventStore.connect({
    url: (await database).url,
    schema,
    poolSize: 4,
  });
  opened.push(store);
  return store;
}

export async function closeTestEventStores(): Promise<void> {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  if (database) await (await database).drop();
  database = undefined;
}
