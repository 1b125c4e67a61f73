import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Where `duffy dev` keeps its embedded database inside its data folder. */
export function databaseFolder(dataDir: string): string {
  return join(dataDir, 'pgdata');
}

/** Another live process holds the folder. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`${dataDir} is in use by another duffy dev (pid ${pid}); stop it or pass --data`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * PGlite is one process's database: a second `duffy dev` on the same folder would corrupt it.
 * A pid file taken with O_EXCL keeps it to one; a file left by a dead process is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    const file = join(dataDir, 'duffy-dev.pid');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeSync(fd, `${process.pid}\n`);
        closeSync(fd);
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const pid = Number(readFileSync(file, 'utf8').trim());
        if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
          throw new DataDirInUseError(dataDir, pid);
        }
        rmSync(file, { force: true });
      }
    }
    throw new Error(`cannot lock ${dataDir}`);
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
