import { formatProblem, loadConfig } from '@app/config';
import {
  allocateTimeoutMs,
  createLegacyServer,
  LegacyHandlers,
  type Logger,
  parseMetaclientArgs,
  Upstream,
  UPSTREAM_TIMEOUT_MS,
  usermapPermissionProblems,
} from '@app/legacy-api';
import { serviceLogger } from '@app/observability';
import { startMetaclientStatus } from './metaclient-status';

const DEFAULT_DEST = 'http://127.0.0.1:8080';

function fail(message: string): never {
  process.stderr.write(`duffy metaclient: ${message}\n`);
  process.exit(1);
}

/**
 * `node dist/apps/metaclient/apps/metaclient/src/main.js [-c FILE|DIR]... [-H HOST] [-p PORT]
 * [-D URL]`:
 * the legacy (Duffy v2 / cico) API on metaclient.host:metaclient.port.
 */
function main(argv: string[]): void {
  let args;
  try {
    args = parseMetaclientArgs(argv);
  } catch (error) {
    fail((error as Error).message);
  }
  const { config, problems } = loadConfig({ paths: args.configPaths });
  if (problems.length > 0) {
    for (const p of problems) process.stderr.write(`${formatProblem(p)}\n`);
    process.exit(1);
  }
  const mc = config.metaclient;
  if (!mc) fail('the configuration has no metaclient section');
  const unsafe = usermapPermissionProblems(args.configPaths, process.env);
  if (unsafe.length > 0) fail(`refusing to start:\n${unsafe.join('\n')}`);

  // metaclient.loglevel: info and below log every request, warning only the failures. JSON
  // lines on stderr (pretty on a TTY, or DUFFY_LOG_FORMAT).
  const logger = serviceLogger('metaclient', { level: mc.loglevel, destination: process.stderr });
  const log: Logger = (level, requestId, msg) => {
    const method = level === 'INFO' ? 'info' : level === 'WARNING' ? 'warn' : 'error';
    logger[method]({ request_id: requestId }, msg);
  };
  const dest = args.dest ?? mc.dest ?? DEFAULT_DEST;
  const handlers = new LegacyHandlers(mc, new Upstream(dest), {
    allocateTimeoutMs: allocateTimeoutMs(config),
    timeoutMs: UPSTREAM_TIMEOUT_MS,
    log: (line) => log('WARNING', '-', line),
  });
  const server = createLegacyServer(mc, handlers, log);
  server.on('error', (error) => fail(`cannot start: ${error.message}`));
  const status = startMetaclientStatus(config, dest, (line) => log('WARNING', '-', line)).catch(
    (error: Error) => fail(`cannot start the status port: ${error.message}`),
  );
  server.listen(args.port ?? mc.port, args.host ?? mc.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : mc.port;
    const host = args.host ?? mc.host;
    process.stdout.write(
      ' * Starting Duffy Metaclient for Legacy Support...\n' +
        ` * Host: ${host}\n * Port: ${port}\n * Destination: ${dest}\n` +
        ` * Address: http://${host}:${port}\n`,
    );
  });
  const stop = () => {
    void status.then((s) => s?.close());
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main(process.argv.slice(2));
