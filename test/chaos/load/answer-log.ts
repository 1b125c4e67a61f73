import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Answer } from '../contract';
import type { LoadSummary } from './load-options';

/** answers.jsonl, append-only through one stream, and the counts of the summary. */
export class AnswerLog {
  readonly summary: LoadSummary = {
    answers: 0,
    byStatus: {},
    byOp: {},
    sessionsAllocated: 0,
    retired: 0,
    extended: 0,
    legacyGot: 0,
    cycles: 0,
  };
  private readonly out: WriteStream;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.out = createWriteStream(file, { flags: 'a' });
  }

  record(answer: Answer): void {
    this.out.write(`${JSON.stringify(answer)}\n`);
    const s = this.summary;
    s.answers++;
    s.byStatus[String(answer.status)] = (s.byStatus[String(answer.status)] ?? 0) + 1;
    s.byOp[answer.op] = (s.byOp[answer.op] ?? 0) + 1;
  }

  /** Flushes every line to the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.once('error', reject);
      this.out.end(() => resolve());
    });
  }
}
