import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The repository root, where `npm run build` left the CLI and its server entry. */
export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin', 'duffy');
const BUILT = [
  join(ROOT, 'apps/cli/dist/apps/cli/src/main.js'),
  join(ROOT, 'dist/apps/cli-server/apps/cli/server/main.js'),
];

export interface DuffyRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Fails early, with the fix, when the built files the e2e specs run are missing. */
export function assertBuilt(): void {
  for (const file of BUILT) {
    if (!existsSync(file)) throw new Error(`${file} is not built: run \`npm run build\` first`);
  }
}

/** Runs the built `duffy` executable as a user would, with a bare environment. */
export function duffy(...args: string[]): Promise<DuffyRun> {
  return new Promise((resolve) => {
    execFile(
      BIN,
      args,
      { cwd: ROOT, env: { PATH: process.env.PATH, HOME: '/nonexistent' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
