import type { Command } from '../command.js';
import { allReady, askService, statusLine, statusTargets } from '../status/service-status.js';
import { loadConfigForCli } from './load-for-cli.js';

/** `duffy status [--format json]`: one line per service; exit 1 when anything is not ready. */
export const status: Command = {
  words: ['status'],
  summary: "ask the api's /health and /ready and each service's status port; exit 1 if not ready",
  options: [{ name: 'format', value: 'FORMAT', summary: 'text (default) or json' }],
  async run(args, io) {
    const format = args.options.format ?? 'text';
    if (format !== 'text' && format !== 'json') {
      io.stderr(`Error: --format: must be text or json (got '${String(format)}')\n`);
      return 2;
    }
    const loaded = loadConfigForCli(args, io);
    if (!loaded.ok) return 1;
    const statuses = await Promise.all(statusTargets(loaded.config).map((t) => askService(t)));
    const ok = allReady(statuses);
    if (format === 'json') io.stdout(`${JSON.stringify({ ok, services: statuses }, null, 2)}\n`);
    else io.stdout(statuses.map((s) => `${statusLine(s)}\n`).join(''));
    return ok ? 0 : 1;
  },
};
