import { EmbeddedPostgres } from '@app/embedded-postgres';
import { PostgresEventStore } from '@app/event-store';
import type { DataSource } from 'typeorm';
import { openReadModels } from '../read-model-data-source';
import { PerEventProjectionWriter } from '../testing/per-event/projection-writer';
import { writeReplayLog } from '../testing/replay-log';
import { READ_MODEL_TABLES } from '../entities';
import { catchUp, PageWriter } from './catch-up';
import { ProjectionWriter } from './projection-writer';

// `duffy dev` runs the same projection on PGlite (served by libs/embedded-postgres): its
// multi-row statements must work there and make the per-event rows too.
describe('batched projection on embedded PostgreSQL (PGlite)', () => {
  let pg: EmbeddedPostgres;
  let store: PostgresEventStore;
  const opened: DataSource[] = [];

  beforeAll(async () => {
    pg = await EmbeddedPostgres.start();
    store = await PostgresEventStore.connect({ url: pg.url, poolSize: 2 });
    await writeReplayLog(store, { events: 400, varied: true, concurrency: 2 });
  }, 60_000);
  afterAll(async () => {
    for (const ds of opened) await ds.destroy();
    await store?.close();
    await pg?.stop();
  });

  // One PGlite backend serves every connection, so one search_path: the projections run one
  // after another in the same tables, compared by the text of every row.
  it('pages of 1 and of 300 make the rows of the per-event projection, to the byte', async () => {
    const ds = await openReadModels({ url: pg.url, poolSize: 2 });
    opened.push(ds);
    const replay = async (writer: PageWriter, pageSize: number) => {
      await ds.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
      await catchUp(store, writer, undefined, pageSize);
      const rows: string[] = [];
      for (const table of READ_MODEL_TABLES) {
        const text: { row: string }[] = await ds.query(
          `SELECT t::text AS row FROM ${table} t ORDER BY 1`,
        );
        rows.push(...text.map((r) => `${table} ${r.row}`));
      }
      return rows;
    };
    const reference = await replay(new PerEventProjectionWriter(ds, { notify: false }), 500);
    expect(reference.filter((r) => r.startsWith('nodes ')).length).toBeGreaterThan(10);
    expect(await replay(new ProjectionWriter(ds), 1)).toEqual(reference);
    expect(await replay(new ProjectionWriter(ds), 300)).toEqual(reference);
  }, 120_000);
});
