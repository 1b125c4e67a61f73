import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Server the bench runs against; a throw-away database is created on it and dropped after. */
const ADMIN_URL = process.env.DUFFY_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function withBenchDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `duffy_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

export async function serverVersion(): Promise<string> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

async function admin(sql: string): Promise<void> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
