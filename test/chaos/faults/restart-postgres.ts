import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * `pg_ctlcluster <newest version> main restart` (the Debian cluster the machine runs, as the
 * operator would), then waits until it accepts connections on 127.0.0.1:5432 again.
 */
export async function restartPostgres(): Promise<void> {
  const version = readdirSync('/etc/postgresql')
    .sort((a, b) => Number(a) - Number(b))
    .pop();
  if (!version) throw new Error('no PostgreSQL cluster in /etc/postgresql');
  await run('pg_ctlcluster', [
    '--skip-systemctl-redirect',
    version,
    'main',
    'restart',
    '-m',
    'fast',
  ]);
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error('PostgreSQL did not come back within 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
