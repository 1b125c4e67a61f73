import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { ServerCommand } from '../server-io';
import { ServerUsageError } from '../usage-error';
import { newMigrationFile } from './new-migration-file';

const MIGRATIONS_DIR = 'libs/read-models/src/migrations';
const DATA_SOURCE = 'libs/read-models/src/read-model-data-source.ts';

/**
 * `duffy migration create COMMENT…`: a new, empty read-model migration in the source tree (a
 * developer's command: it needs the repository, not a database).
 */
export const create: ServerCommand = async (args, io) => {
  if (args.words.length === 0) throw new ServerUsageError("Missing argument 'COMMENT...'.");
  const root = repositoryRoot();
  const file = newMigrationFile(args.words.join(' '), Date.now());
  const path = join(root, MIGRATIONS_DIR, file.fileName);
  writeFileSync(path, file.source, { flag: 'wx' });
  io.stdout(
    `Created ${relative(process.cwd(), path)} (class ${file.className}).\n` +
      `Register it in ${DATA_SOURCE} (migrations: [...]) to apply it.\n`,
  );
  return 0;
};

/** The checkout this entry was built from: the nearest folder up named `duffy` in package.json. */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (
      existsSync(pkg) &&
      (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'duffy'
    ) {
      if (!existsSync(join(dir, MIGRATIONS_DIR))) {
        throw new Error(`no ${MIGRATIONS_DIR} in ${dir}: migration create needs the source tree`);
      }
      return dir;
    }
    if (dirname(dir) === dir) throw new Error('cannot find the duffy repository root');
  }
}
