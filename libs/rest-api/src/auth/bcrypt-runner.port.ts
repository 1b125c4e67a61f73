/** Where bcrypt runs: a worker pool in the api, on the calling thread where no pool is wanted. */
export interface BcryptRunner {
  compare(key: string, hash: string): Promise<boolean>;
  hash(key: string, cost: number): Promise<string>;
  close(): Promise<void>;
}

/** The runner cannot take more work now (its queue is full); the caller should retry later. */
export class BcryptBusyError extends Error {
  constructor() {
    super('too many key checks are waiting');
    this.name = 'BcryptBusyError';
  }
}
