import { DataSource } from 'typeorm';
import { READ_MODEL_ENTITIES } from './entities';
import { ReadModels1764000000000 } from './migrations/1764000000000-read-models';
import { Audit1764200000000 } from './migrations/1764200000000-audit';
import { NodeAdministration1764300000000 } from './migrations/1764300000000-node-administration';
import { ProvisioningRuns1764100000000 } from './migrations/1764100000000-provisioning-runs';

export const DEFAULT_READ_MODEL_SCHEMA = 'public';

export interface ReadModelConnectionOptions {
  url: string;
  /** Schema holding the tables; `verify` uses a scratch one. Default `public`. */
  schema?: string;
  poolSize?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkedReadModelSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid read-model schema name: ${schema}`);
  return schema;
}

/**
 * A TypeORM data source on the read-model schema. Every connection runs with that schema as its
 * search_path (so the projection's SQL is schema-free) and in UTC (timestamps are naive UTC).
 */
export function createReadModelDataSource(options: ReadModelConnectionOptions): DataSource {
  const schema = checkedReadModelSchema(options.schema ?? DEFAULT_READ_MODEL_SCHEMA);
  return new DataSource({
    type: 'postgres',
    url: options.url,
    schema,
    entities: READ_MODEL_ENTITIES,
    migrations: [
      ReadModels1764000000000,
      ProvisioningRuns1764100000000,
      Audit1764200000000,
      NodeAdministration1764300000000,
    ],
    migrationsTableName: 'read_model_migrations',
    migrationsTransactionMode: 'all',
    // openReadModels holds one connection for its migration lock while migrating on another.
    poolSize: Math.max(2, options.poolSize ?? 10),
    extra: { options: `-c search_path=${schema} -c TimeZone=UTC` },
    logging: false,
  });
}

/**
 * Connects and brings the schema up to date. Several processes may start together (projector,
 * api instances): the migration runs behind an advisory lock, and the later ones find nothing
 * to do.
 */
export async function openReadModels(options: ReadModelConnectionOptions): Promise<DataSource> {
  const dataSource = createReadModelDataSource(options);
  await dataSource.initialize();
  const schema = checkedReadModelSchema(options.schema ?? DEFAULT_READ_MODEL_SCHEMA);
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query(`SELECT pg_advisory_lock(hashtext('duffy-read-models-migrate'))`);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await dataSource.runMigrations({ transaction: 'all' });
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  } finally {
    await runner
      .query(`SELECT pg_advisory_unlock(hashtext('duffy-read-models-migrate'))`)
      .catch(() => undefined);
    await runner.release();
  }
  return dataSource;
}
