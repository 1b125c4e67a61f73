import { ExpectedRevision } from './event-store.port';

/** Rejects what no adapter could mean: negative or fractional revisions, unknown words. */
export function checkExpectedRevision(expected: ExpectedRevision): void {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new TypeError(`expected revision must be an integer >= 0, got ${expected}`);
    }
    return;
  }
  if (!['no_stream', 'stream_exists', 'any'].includes(expected)) {
    throw new TypeError(`unknown expected revision ${JSON.stringify(expected)}`);
  }
}
