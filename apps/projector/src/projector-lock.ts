import { Client } from 'pg';

export interface ProjectorLock {
  release(): Promise<void>;
}

/**
 * One active projector per projection: a session-level advisory lock held on a connection of
 * its own for the life of the process. A standby polls until the active one goes away (its
 * connection closes when it dies, even by kill -9). If this connection is lost, the lock is
 * lost with it and `onLost` must stop the process.
 */
export async function acquireProjectorLock(options: {
  url: string;
  projection: string;
  onWaiting: () => void;
  onLost: (error: Error) => void;
  pollMs?: number;
}): Promise<ProjectorLock> {
  const client = new Client({
    connectionString: options.url,
    application_name: `duffy-projector-lock:${options.projection}`,
  });
  await client.connect();
  let released = false;
  client.on('error', (error) => {
    if (!released) options.onLost(error);
  });
  const key = `duffy-projector:${options.projection}`;
  let announced = false;
  for (;;) {
    const { rows } = await client.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
      [key],
    );
    if (rows[0].ok) break;
    if (!announced) options.onWaiting();
    announced = true;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 500));
  }
  return {
    async release() {
      released = true;
      await client.end().catch(() => undefined);
    },
  };
}
