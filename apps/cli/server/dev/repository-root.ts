import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The checkout this code runs from (source under jest, dist after a build): for demo config. */
export function repositoryRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duffy'
    ) {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error('cannot find the duffy repository root');
  }
}
