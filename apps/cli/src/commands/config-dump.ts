import { dumpConfig } from '../../../../libs/config/src/index.js';
import { configCommand } from './load-for-cli.js';

/** `duffy config dump`: the merged, validated configuration as YAML, secrets masked. */
export const configDump = configCommand(
  {
    words: ['config', 'dump'],
    summary: 'print the merged, validated configuration as YAML, secrets masked',
  },
  ({ config }, io) => io.stdout(dumpConfig(config, { maskSecrets: true })),
);
