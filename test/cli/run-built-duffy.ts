import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runDuffy, type CommandRun } from '../support/duffy-dev';

export { ROOT };
const BUILT = [
  join(ROOT, 'apps/cli/dist/apps/cli/src/main.js'),
  join(ROOT, 'dist/apps/cli-server/apps/cli/server/main.js'),
];

export type DuffyRun = CommandRun;

/** Fails early, with the fix, when the built files the e2e specs run are missing. */
export function assertBuilt(): void {
  for (const file of BUILT) {
    if (!existsSync(file)) throw new Error(`${file} is not built: run \`npm run build\` first`);
  }
}

/** Runs the built `duffy` executable with a HOME that has no ~/.config/duffy to pick up. */
export function duffy(...args: string[]): Promise<DuffyRun> {
  return runDuffy(args, { HOME: '/nonexistent' });
}
