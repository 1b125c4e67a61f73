import { Logger } from '@nestjs/common';
import type { BcryptRunner } from './bcrypt-runner.port';
import { InlineBcrypt } from './inline-bcrypt';
import { compiledWorkerFile, WorkerBcrypt } from './worker-bcrypt';

/**
 * The api's bcrypt runner: the worker pool when `threads` > 0 and the compiled worker exists.
 * Running from TypeScript sources (jest) there is no compiled worker, and Node cannot load the
 * .ts one in a thread, so bcrypt runs on the event loop there, as it does with `threads: 0`.
 */
export function createBcryptRunner(options: {
  threads: number;
  maxQueue: number;
  workerFile?: string;
}): BcryptRunner {
  const filename = options.workerFile ?? compiledWorkerFile();
  if (options.threads > 0 && filename) {
    return new WorkerBcrypt({ threads: options.threads, maxQueue: options.maxQueue, filename });
  }
  if (options.threads > 0 && !runningFromSources()) {
    new Logger('api').warn('bcrypt.worker.js not found: key checks run on the event loop');
  }
  return new InlineBcrypt();
}

function runningFromSources(): boolean {
  return __filename.endsWith('.ts');
}
