import type { Command } from '../command.js';
import { runBuiltApp } from './serve-built-app.js';

/** `duffy serve`: the REST API v1 on app.host:app.port, as the original's `duffy serve`. */
export const serve: Command = {
  words: ['serve'],
  summary: 'serve the REST API v1 (host and port from app.host and app.port)',
  async run(args, io) {
    if (args.rest.length > 0) {
      io.stderr(`Error: unexpected argument: ${args.rest[0]}\n`);
      return 2;
    }
    return runBuiltApp('api', [], args, io);
  },
};
