import { PGlite } from '@electric-sql/pglite';
import { PgliteEventStore } from '../pglite/pglite-event-store';
import { hashChainTamperContract } from '../testing/hash-chain-tamper.contract';

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db?.close();
});

const raw = () => ({
  query: async <R>(sql: string, params?: unknown[]) => (await db.query<R>(sql, params)).rows,
  exec: async (sql: string) => void (await db.exec(sql)),
  close: async () => undefined,
});

hashChainTamperContract('PGlite (embedded)', {
  raw: async () => raw(),
  open: async (schema) => ({ ...raw(), store: await PgliteEventStore.open({ db, schema }) }),
});
