import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from './embedded-postgres';

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

describe('EmbeddedPostgres on a data folder', () => {
  it('keeps committed data across stop and start, and drops what a stop cut off', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'duffy-embedded-pg-'));
    try {
      const first = await EmbeddedPostgres.start({ dataDir });
      const open = new Client({ connectionString: first.url });
      open.on('error', () => undefined);
      try {
        await withClient(first.url, async (client) => {
          await client.query('CREATE TABLE notes (body text)');
          await client.query('INSERT INTO notes VALUES ($1)', ['kept']);
        });
        // A transaction still open at stop() must not be committed by it.
        await open.connect();
        await open.query('BEGIN');
        await open.query("INSERT INTO notes VALUES ('uncommitted')");
      } finally {
        await first.stop();
      }

      const second = await EmbeddedPostgres.start({ dataDir });
      try {
        const rows = await withClient(second.url, async (client) => {
          return (await client.query('SELECT body FROM notes ORDER BY body')).rows;
        });
        expect(rows).toEqual([{ body: 'kept' }]);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 45_000);
});
