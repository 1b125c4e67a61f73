import 'reflect-metadata';
import { formatProblem, loadConfig } from '@app/config';
import { serviceLogger } from '@app/observability';
import { createApi } from '@app/rest-api';

/**
 * `node dist/apps/api/main.js [-c FILE|DIR]...`: validates the configuration (bad config fails
 * at start with file, key and reason), then serves on app.host:app.port.
 */
async function main(argv: string[]): Promise<void> {
  const paths = argv.flatMap((a, i) => (a === '-c' || a === '--config' ? [argv[i + 1]] : []));
  const { config, problems } = loadConfig({ paths });
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.exit(1);
  }
  let app;
  try {
    // JSON lines (pretty on a TTY, or DUFFY_LOG_FORMAT): a line per request at app.loglevel.
    app = await createApi(config, {
      logger: serviceLogger('api', { level: config.app.loglevel }),
    });
    await app.listen(config.app.port, config.app.host);
  } catch (error) {
    process.stderr.write(`duffy api: cannot start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(
    ` * Starting Duffy...\n * Host: ${config.app.host}\n * Port: ${config.app.port}\n`,
  );
  process.stdout.write(` * Docs: http://${config.app.host}:${config.app.port}/api/v1/docs\n`);
}

void main(process.argv.slice(2));
