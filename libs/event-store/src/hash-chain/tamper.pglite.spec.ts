import { PGlite } from '@electric-sql/pglite';
import { PgliteEventStore } from '../pglite/pglite-event-store';
import { hashChainTamperContract } from '../testing/hash-chain-tamper.contract';

let db: PGlite;
// Starting PGlite (a WebAssembly PostgreSQL) takes seconds on a loaded machine.
beforeAll(async () => {
  db = await PGlite.create();
}, 60_000);
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
