import type { Command } from '../command.js';
import { runBuiltApp } from './serve-built-app.js';

/** `duffy serve`: the REST API v1 on app.host:app.port, as the original's `duffy serve`. */
export const serve: Command = {
  words: ['serve'],
  summary: 'serve the REST API v1 (host and port from app.host and app.port)',
  async run(args, io) {
    return runBuiltApp('api', [], args, io);
  },
};
