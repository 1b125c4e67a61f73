import { processIo, type CliIo } from '../../io.js';

/**
 * What the audit commands need beyond a CliIo: whether stdout is a terminal (a timeline for a
 * person, else JSON), its width, a write that waits out a full pipe (an export of millions of
 * events must not pile up in memory), and an interrupt for `--follow`. Tests set the fields; the
 * real process io takes them from process.stdout and SIGINT.
 */
export interface AuditIo extends CliIo {
  stdoutIsTty?: boolean;
  stdoutColumns?: number;
  /** Resolves when the text is handed on. */
  write?(text: string): Promise<void>;
  /** Ends `--follow`; for the process io, Ctrl-C does. */
  interrupt?: AbortSignal;
  /** How long `--follow` waits between polls once it has caught up. */
  pollMs?: number;
}

/** The width of stdout when it is a terminal, else undefined. */
export function stdoutColumns(io: AuditIo): number | undefined {
  const isProcess = io === processIo;
  const isTty = io.stdoutIsTty ?? (isProcess && process.stdout.isTTY === true);
  if (!isTty) return undefined;
  return io.stdoutColumns ?? (isProcess ? process.stdout.columns : undefined) ?? 80;
}

/** Writes to stdout, waiting for a drain when the process's pipe is full. */
export function writeStdout(io: AuditIo, text: string): Promise<void> {
  if (io.write) return io.write(text);
  if (io !== processIo) {
    io.stdout(text);
    return Promise.resolve();
  }
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => reject(e);
    process.stdout.once('error', onError);
    const done = () => {
      process.stdout.off('error', onError);
      resolve();
    };
    if (process.stdout.write(text)) done();
    else process.stdout.once('drain', done);
  });
}

/** The signal that ends `--follow`: the io's, else the process's first SIGINT. */
export function interruptSignal(io: AuditIo): { signal: AbortSignal; release(): void } {
  if (io.interrupt) return { signal: io.interrupt, release: () => undefined };
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.once('SIGINT', onInt);
  return { signal: controller.signal, release: () => process.off('SIGINT', onInt) };
}
