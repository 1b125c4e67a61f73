import { Client } from 'pg';

/** One short-lived connection for a few catalogue queries. */
export async function withPgClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
