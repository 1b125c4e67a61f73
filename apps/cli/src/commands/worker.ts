import type { Command } from '../command.js';
import { runBuiltApp } from './serve-built-app.js';

/**
 * `duffy worker`: the backend work (the original's Celery worker), here the provisioner: it fills
 * pools, provisions, contextualizes, expires sessions (tasks.* and nodepools.* from the config).
 */
export const worker: Command = {
  words: ['worker'],
  summary: 'run the provisioner (pool filling, provisioning, expiry)',
  run: (args, io) => runBuiltApp('provisioner', [], args, io),
};
