import bcrypt from 'bcryptjs';

// Runs in a worker thread of the bcrypt pool (worker-bcrypt.ts); tsc compiles it to
// bcrypt.worker.js beside that file, which is where the pool looks for it.

export function compare(task: { key: string; hash: string }): boolean {
  try {
    return bcrypt.compareSync(task.key, task.hash);
  } catch {
    return false; // a malformed stored hash matches no key
  }
}

export function hash(task: { key: string; cost: number }): string {
  return bcrypt.hashSync(task.key, task.cost);
}
