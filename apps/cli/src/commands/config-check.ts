import { configCommand } from './load-for-cli.js';

/** `duffy config check`: the original's output when valid; every problem, exit 1, when not. */
export const configCheck = configCommand(
  {
    words: ['config', 'check'],
    summary: 'validate the configuration; print OK or every problem as FILE: key.path: reason',
  },
  ({ config }, io) => {
    const sections = Object.keys(config.raw);
    if (sections.length === 0) {
      io.stdout('Configuration is empty.\n');
    } else {
      io.stdout(`OK.\nValidated configuration subkeys: ${sections.join(', ')}\n`);
    }
  },
);
