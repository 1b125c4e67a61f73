import { Client } from 'pg';

export interface ProjectorLock {
  release(): Promise<void>;
}

/**
 * One active projector per projection: a session-level advisory lock held on a connection of
 * its own for the life of the process. A standby polls until the active one goes away (its
 * connection closes when it dies, even by kill -9). If the connection that holds the lock is
 * lost, the lock is lost with it and `onLost` must stop the process. A standby that loses its
 * connection (PostgreSQL restarting) reconnects and waits on: it held nothing, and staying up
 * lets it take over as soon as the database is back instead of after a process restart.
 */
export async function acquireProjectorLock(options: {
  url: string;
  projection: string;
  onWaiting: () => void;
  onLost: (error: Error) => void;
  /** A standby's connection failed; it reconnects after `pollMs`. */
  onReconnect?: (error: Error) => void;
  pollMs?: number;
}): Promise<ProjectorLock> {
  const pollMs = options.pollMs ?? 500;
  const key = `duffy-projector:${options.projection}`;
  let announced = false;
  for (;;) {
    const client = new Client({
      connectionString: options.url,
      application_name: `duffy-projector-lock:${options.projection}`,
    });
    let held = false;
    let released = false;
    // Before the lock is held, a failure surfaces through the pending query or connect below.
    client.on('error', (error) => {
      if (held && !released) options.onLost(error);
    });
    try {
      await client.connect();
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock(hashtext($1)) AS ok',
          [key],
        );
        if (rows[0].ok) break;
        if (!announced) options.onWaiting();
        announced = true;
        await sleep(pollMs);
      }
    } catch (error) {
      await client.end().catch(() => undefined);
      options.onReconnect?.(error as Error);
      await sleep(pollMs);
      continue;
    }
    held = true;
    return {
      async release() {
        released = true;
        await client.end().catch(() => undefined);
      },
    };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
