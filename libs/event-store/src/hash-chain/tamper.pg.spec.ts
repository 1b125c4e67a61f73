import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { PostgresEventStore } from '../postgres/postgres-event-store';
import { hashChainTamperContract } from '../testing/hash-chain-tamper.contract';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase('hash_chain_tamper');
});
afterAll(async () => {
  await database?.drop();
});

async function rawClient() {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  return {
    query: async <R>(sql: string, params?: unknown[]) =>
      (await client.query(sql, params)).rows as R[],
    exec: async (sql: string) => void (await client.query(sql)),
    close: () => client.end(),
  };
}

hashChainTamperContract('PostgreSQL', {
  raw: rawClient,
  open: async (schema) => {
    const store = await PostgresEventStore.connect({ url: database.url, schema, poolSize: 2 });
    const raw = await rawClient();
    return {
      ...raw,
      store,
      close: async () => {
        await raw.close();
        await store.close();
      },
    };
  },
});
