import { EmbeddedPostgres } from '@app/embedded-postgres';
import { openReadModels } from '../read-model-data-source';
import { ReadModelQueries } from './read-model-queries';

// The embedded server gives all connections one PGlite session, so a statement name prepared
// by one connection already exists for the next: the queries must still answer (they fall
// back to unnamed statements), from every connection of the pool, concurrently.
describe('ReadModelQueries on EmbeddedPostgres (one shared session)', () => {
  let pg: EmbeddedPostgres;

  beforeAll(async () => {
    pg = await EmbeddedPostgres.start();
  }, 30_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('answers the same queries on every connection', async () => {
    const models = await openReadModels({ url: pg.url, poolSize: 4 });
    try {
      await models.query(
        `INSERT INTO tenants (id, name, is_admin, ssh_key, api_key, created_at)
         VALUES (1, 'alice', false, 'ssh-ed25519 A', 'hash', '2024-01-01 00:00:00')`,
      );
      await models.query(
        `INSERT INTO sessions (id, tenant_id, data, created_at, status, requested_by)
         VALUES (1, 1, '{"a": 1}', '2024-01-01 00:00:00', 'active', 'alice')`,
      );
      const queries = new ReadModelQueries(models, {
        nodeQuota: 10,
        sessionLifetimeMs: 6 * 3600e3,
        sessionLifetimeMaxMs: 12 * 3600e3,
      });
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          i % 2 ? queries.session(1) : queries.tenantCredentials('alice'),
        ),
      );
      for (const [i, answer] of answers.entries()) {
        expect(answer).toMatchObject(i % 2 ? { id: 1, data: { a: 1 } } : { id: 1, name: 'alice' });
      }
    } finally {
      await models.destroy();
    }
  }, 30_000);
});
