/** A bad argument or option value: exit 2, as click's usage errors do in the original. */
export class ServerUsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ServerUsageError';
  }
}

/** click's wording for a bad option value. */
export function invalidOptionValue(option: string, reason: string): ServerUsageError {
  return new ServerUsageError(`Invalid value for '--${option}': ${reason}`);
}
