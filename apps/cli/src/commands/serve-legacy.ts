import type { Command } from '../command.js';
import { runBuiltApp } from './serve-built-app.js';

/**
 * `duffy serve-legacy`: the legacy (Duffy v2 / cico) API on metaclient.host:metaclient.port,
 * translating to REST v1 at metaclient.dest. `--host`, `--port` and `--dest` override those;
 * unlike the original, `--dest` is applied, not only printed (W-L6).
 */
export const serveLegacy: Command = {
  words: ['serve-legacy'],
  summary: 'serve the legacy cico API (metaclient.host, .port, .dest)',
  options: [
    { name: 'host', value: 'HOST', summary: 'listen address (default metaclient.host)' },
    { name: 'port', value: 'PORT', summary: 'listen port (default metaclient.port)' },
    { name: 'dest', value: 'URL', summary: 'the REST API v1 base URL (default metaclient.dest)' },
  ],
  async run(args, io) {
    const words: string[] = [];
    const { host, port, dest } = args.options;
    if (typeof host === 'string') words.push('-H', host);
    if (typeof port === 'string') words.push('-p', port);
    if (typeof dest === 'string') words.push('-D', dest);
    return runBuiltApp('metaclient', words, args, io);
  },
};
