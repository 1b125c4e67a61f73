import { dumpConfig } from '../../../../libs/config/src/index.js';
import type { Command } from '../command.js';
import { loadConfigForCli } from './load-for-cli.js';

/** `duffy config dump`: the merged, validated configuration as YAML, secrets masked. */
export const configDump: Command = {
  words: ['config', 'dump'],
  summary: 'print the merged, validated configuration as YAML, secrets masked',
  async run(args, io) {
    const { ok, config } = loadConfigForCli(args, io);
    if (!ok) return 1;
    io.stdout(dumpConfig(config, { maskSecrets: true }));
    return 0;
  },
};
