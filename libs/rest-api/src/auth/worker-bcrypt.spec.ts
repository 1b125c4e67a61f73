import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import ts from 'typescript';
import { BcryptBusyError } from './bcrypt-runner.port';
import { createBcryptRunner } from './bcrypt-runner';
import { InlineBcrypt } from './inline-bcrypt';
import { WorkerBcrypt } from './worker-bcrypt';

// Jest runs sources, and a worker thread cannot load TypeScript: the worker is compiled here the
// way tsc compiles it for dist/, into node_modules/.cache so that it resolves bcryptjs as the
// built one does.
function compileWorker(): string {
  const source = readFileSync(join(__dirname, 'bcrypt.worker.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  const dir = join(__dirname, '../../../../node_modules/.cache/duffy-jest');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bcrypt.worker.${process.pid}.js`);
  writeFileSync(file, outputText);
  return file;
}

describe('WorkerBcrypt (piscina)', () => {
  let filename: string;
  let key: string;
  let hash: string;

  beforeAll(async () => {
    filename = compileWorker();
    key = 'a1b2c3d4-0000-4000-8000-000000000001';
    hash = await bcrypt.hash(key, 4);
  });

  afterAll(() => rmSync(filename, { force: true }));

  it('checks keys in a worker thread, never on the calling thread', async () => {
    const onThread = [
      jest.spyOn(bcrypt, 'compare'),
      jest.spyOn(bcrypt, 'compareSync'),
      jest.spyOn(bcrypt, 'hash'),
      jest.spyOn(bcrypt, 'hashSync'),
    ];
    const pool = new WorkerBcrypt({ threads: 1, maxQueue: 8, filename });
    try {
      expect(await pool.compare(key, hash)).toBe(true);
      expect(await pool.compare('wrong', hash)).toBe(false);
      expect(await pool.compare(key, 'not a bcrypt hash')).toBe(false);
      const made = await pool.hash(key, 4);
      expect(await bcrypt.compare(key, made)).toBe(true);
      for (const spy of onThread.slice(1)) expect(spy).not.toHaveBeenCalled();
      expect(onThread[0]).toHaveBeenCalledTimes(1); // the check of `made` just above
    } finally {
      onThread.forEach((spy) => spy.mockRestore());
      await pool.close();
    }
  });

  it('refuses work beyond its queue instead of queueing without bound', async () => {
    const pool = new WorkerBcrypt({ threads: 1, maxQueue: 2, filename });
    const slow = await bcrypt.hash(key, 10);
    try {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () => pool.compare('wrong', slow)),
      );
      const refused = results.filter(
        (r) => r.status === 'rejected' && r.reason instanceof BcryptBusyError,
      );
      const checked = results.filter((r) => r.status === 'fulfilled' && r.value === false);
      expect(refused.length).toBeGreaterThan(0);
      expect(checked.length).toBeGreaterThan(0);
      expect(refused.length + checked.length).toBe(8);
    } finally {
      await pool.close();
    }
  });

  it('is what the api uses when a worker file exists; on this thread otherwise', async () => {
    const pooled = createBcryptRunner({ threads: 1, maxQueue: 4, workerFile: filename });
    const inline = createBcryptRunner({ threads: 1, maxQueue: 4 }); // sources: no compiled file
    const onLoop = createBcryptRunner({ threads: 0, maxQueue: 4, workerFile: filename });
    try {
      expect(pooled).toBeInstanceOf(WorkerBcrypt);
      expect(inline).toBeInstanceOf(InlineBcrypt);
      expect(onLoop).toBeInstanceOf(InlineBcrypt);
      expect(await pooled.compare(key, hash)).toBe(true);
      expect(await inline.compare(key, hash)).toBe(true);
    } finally {
      await Promise.all([pooled.close(), inline.close(), onLoop.close()]);
    }
  });
});
