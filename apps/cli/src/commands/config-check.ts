import type { Command } from '../command.js';
import { loadConfigForCli } from './load-for-cli.js';

/** `duffy config check`: the original's output when valid; every problem, exit 1, when not. */
export const configCheck: Command = {
  words: ['config', 'check'],
  summary: 'validate the configuration; print OK or every problem as FILE: key.path: reason',
  async run(args, io) {
    const { ok, config } = loadConfigForCli(args, io);
    if (!ok) return 1;
    const sections = Object.keys(config.raw);
    if (sections.length === 0) {
      io.stdout('Configuration is empty.\n');
    } else {
      io.stdout(`OK.\nValidated configuration subkeys: ${sections.join(', ')}\n`);
    }
    return 0;
  },
};
