import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { ChainAnchor } from '@app/event-store';

/** The anchors file is not what `audit verify --anchors` expects. */
export class AnchorFileError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'AnchorFileError';
  }
}

const HASH = /^[0-9a-f]{64}$/;

/**
 * `duffy audit verify --anchors FILE`: every hashed stream's last revision and hash, as JSON
 * (`{"session-12": {"revision": 6, "hash": "…"}}`). Kept where the database's holders cannot
 * write, it lets a later run prove that no stream was rewritten, hashes and all, since.
 * Undefined: no file yet (the first run writes it).
 */
export function readAnchors(file: string): Map<string, ChainAnchor> | undefined {
  if (!existsSync(file)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new AnchorFileError(file, `not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new AnchorFileError(file, 'must be an object of stream → {revision, hash}');
  }
  const anchors = new Map<string, ChainAnchor>();
  for (const [stream, value] of Object.entries(parsed)) {
    const { revision, hash } = (value ?? {}) as Partial<ChainAnchor>;
    if (!Number.isInteger(revision) || (revision as number) < 0 || !HASH.test(String(hash))) {
      throw new AnchorFileError(file, `${stream}: needs a revision ≥ 0 and a sha256 hex hash`);
    }
    anchors.set(stream, { revision: revision as number, hash: hash as string });
  }
  return anchors;
}

/** Replaces the file whole (a crash leaves the old one or the new one, never half of one). */
export function writeAnchors(file: string, tails: ReadonlyMap<string, ChainAnchor>): void {
  const sorted = [...tails].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const text = `${JSON.stringify(Object.fromEntries(sorted), null, 1)}\n`;
  const partial = `${file}.partial`;
  writeFileSync(partial, text, { mode: 0o644 });
  renameSync(partial, file);
}
