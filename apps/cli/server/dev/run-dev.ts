import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { formatProblem, loadConfig } from '@app/config';
import { DataDirLock } from './data-dir-lock';
import { DevArgsError, parseDevArgs } from './dev-args';
import { startEmbeddedDuffy, type EmbeddedDuffy } from './embedded-duffy';
import { repositoryRoot } from './repository-root';

/** The demo configuration `duffy dev` runs unless `-c` gives another. */
export function demoConfigDir(): string {
  return join(repositoryRoot(), 'deploy', 'config', 'embedded');
}

/**
 * `duffy dev [--data DIR] [--port N] [--legacy-port N] [--ssh] [-c FILE|DIR]...`: all of Duffy
 * in this process on embedded PostgreSQL, until SIGINT or SIGTERM.
 */
export async function runDev(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseDevArgs(argv);
  } catch (error) {
    if (!(error instanceof DevArgsError)) throw error;
    process.stderr.write(`Error: ${error.message}\n`);
    return 2;
  }
  const paths = args.configPaths.length > 0 ? args.configPaths : [demoConfigDir()];
  const { config, problems } = loadConfig({ paths });
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    return 1;
  }
  const es = config.eventstore;
  const dataDir = resolve(args.dataDir ?? (es?.type === 'pglite' && es.path ? es.path : '.duffy'));
  const legacyPort = config.metaclient ? (args.legacyPort ?? args.port + 1) : undefined;
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);

  // Ctrl-C in a terminal reaches both this process and the `duffy` launcher, which forwards it:
  // the first signal (even during the start) stops Duffy, later ones must not kill the stop.
  const stopRequested = new Promise<void>((done) => {
    process.on('SIGINT', () => done());
    process.on('SIGTERM', () => done());
  });
  let lock: DataDirLock;
  let duffy: EmbeddedDuffy;
  try {
    mkdirSync(dataDir, { recursive: true });
    lock = DataDirLock.acquire(dataDir);
  } catch (error) {
    process.stderr.write(`duffy dev: ${(error as Error).message}\n`);
    return 1;
  }
  try {
    duffy = await startEmbeddedDuffy({
      config,
      dataDir,
      port: args.port,
      legacyPort,
      ssh: args.ssh,
      log,
    });
  } catch (error) {
    lock.release();
    process.stderr.write(`duffy dev: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    banner(duffy, dataDir, paths, config.pools.find((p) => p.kind === 'concrete')?.name ?? 'POOL'),
  );
  await stopRequested;
  process.stdout.write('Stopping Duffy…\n');
  await duffy.stop();
  lock.release();
  return 0;
}

function banner(
  duffy: EmbeddedDuffy,
  dataDir: string,
  configPaths: string[],
  pool: string,
): string {
  const shown = (p: string) => {
    const r = relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const clientFile = shown(duffy.admin.file);
  const admin = {
    tenant: `created the admin tenant '${duffy.admin.name}'`,
    key: `reset the API key of the admin tenant '${duffy.admin.name}'`,
    none: `admin tenant '${duffy.admin.name}'`,
  }[duffy.admin.created];
  return [
    ' * Duffy is running (embedded mode: one process, embedded PostgreSQL, no NATS)',
    ` * API:        ${duffy.apiUrl}  (docs: ${duffy.apiUrl}/docs)`,
    ...(duffy.legacyUrl ? [` * Legacy API: ${duffy.legacyUrl}`] : []),
    ` * Data:       ${shown(dataDir)}`,
    ` * Config:     ${configPaths.map(shown).join(', ')}`,
    ...(duffy.nodesDir
      ? [` * Demo nodes: keys in ${shown(duffy.nodesDir)}/<address>/authorized_keys`]
      : []),
    ` * ${admin}; its client config: ${clientFile}`,
    '',
    'Try:',
    `  npx duffy client -c ${clientFile} list-pools`,
    `  npx duffy client -c ${clientFile} request-session pool=${pool},quantity=1`,
    `  npx duffy ui -c ${clientFile}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
