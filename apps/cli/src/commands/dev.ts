import type { Command } from '../command.js';
import { serverCommand } from './serve-built-app.js';

/** `duffy dev`: everything in one process on an embedded database in a local folder. */
export const dev: Command = serverCommand({
  words: ['dev'],
  summary: 'run Duffy in one process on an embedded database (a local data folder)',
  options: [
    { name: 'data', value: 'DIR', summary: 'data folder (default eventstore.path, else ./.duffy)' },
    { name: 'port', value: 'N', summary: 'REST API port (default 8080)' },
    { name: 'legacy-port', value: 'N', summary: 'legacy metaclient port (default: --port + 1)' },
    {
      name: 'ssh',
      summary: "contextualize over ssh (real nodes) instead of the demo nodes' folders",
    },
  ],
});
