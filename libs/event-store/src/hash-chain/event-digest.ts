import { createHash } from 'node:crypto';
import type { EventMetadata } from '../event-store.port';
import { canonicalJson } from './canonical-json';

/** What of an event the chain covers: everything the caller gave except its id. */
export interface HashedContent {
  type: string;
  data: unknown;
  /** As the caller gave it (never holding the hash itself). */
  metadata: EventMetadata;
}

/** sha256 hex of `type \n canonical(data) \n canonical(metadata)`. */
export function contentDigest(event: HashedContent): string {
  return sha256Hex(`${event.type}\n${canonicalJson(event.data)}\n${canonicalJson(event.metadata)}`);
}

/**
 * An event's hash: sha256 hex of `previous ':' digest`, previous being the hash of the stream's
 * event before it ('' for the first hashed event). The SQL stores compute the same in
 * append_events / append_to_streams (sql/hash-chain.sql.ts).
 */
export function chainHash(previousHash: string | null, digest: string): string {
  return sha256Hex(`${previousHash ?? ''}:${digest}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
