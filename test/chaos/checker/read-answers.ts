import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Answer } from '../contract';

/**
 * The load generator's answers.jsonl, one Answer per line. A last line cut short (the writer
 * stopped mid-line) is returned in `unreadable`, like any line that is not JSON.
 */
export async function readAnswers(
  file: string,
): Promise<{ answers: Answer[]; unreadable: string[] }> {
  const answers: Answer[] = [];
  const unreadable: string[] = [];
  if (!existsSync(file)) return { answers, unreadable };
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    try {
      answers.push(JSON.parse(line) as Answer);
    } catch {
      unreadable.push(line);
    }
  }
  return { answers, unreadable };
}
