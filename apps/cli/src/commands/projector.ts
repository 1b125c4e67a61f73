import type { Command } from '../command.js';
import { runBuiltApp } from './serve-built-app.js';

function projectorCommand(mode: 'run' | 'rebuild' | 'verify', summary: string): Command {
  return {
    words: ['projector', mode],
    summary,
    async run(args, io) {
      return runBuiltApp('projector', [mode], args, io);
    },
  };
}

/** `duffy projector rebuild`: empty the read models and replay the log (projector stopped). */
export const projectorRebuild = projectorCommand(
  'rebuild',
  'replay the whole event log into emptied read-model tables',
);

/** `duffy projector verify`: compare the read models with a replay; exit 1 on any difference. */
export const projectorVerify = projectorCommand(
  'verify',
  'compare the read models with a replay of the event log; print differences',
);

/** `duffy projector run`: the projector service itself (standby while another is active). */
export const projectorRun = projectorCommand(
  'run',
  'project the event log into the read models (one active, others standby)',
);
