import type { EventStore, RecordedEvent } from '../event-store.port';
import { chainHash, contentDigest } from './event-digest';

export type BrokenLinkReason =
  | 'hash_missing'
  | 'hash_mismatch'
  | 'revision_gap'
  /** The event at a kept anchor's revision has another hash: its stream was rewritten. */
  | 'anchor_mismatch'
  /** A kept anchor's stream no longer reaches its revision: events were removed. */
  | 'anchor_missing';

/** A stream's last hashed event as an earlier run saw it (`tails`), kept out of the database. */
export interface ChainAnchor {
  revision: number;
  hash: string;
}

export interface BrokenLink {
  stream: string;
  revision: number;
  position: number;
  reason: BrokenLinkReason;
}

export interface ChainReport {
  /** Events read (up to and including a broken one). */
  events: number;
  streams: number;
  /** Events of streams before their first hashed event: written before the chain existed. */
  unchained: number;
  /** The first broken link in position order; null when every chain holds. */
  broken: BrokenLink | null;
  /** Hash of the last hashed event read: keep it to detect a later rewrite (docs/event-store.md). */
  head: { stream: string; position: number; hash: string } | null;
  /** Every hashed stream's last hashed event: the anchors a later run checks (`anchors`). */
  tails: Map<string, ChainAnchor>;
}

export interface VerifyChainsOptions {
  /** Events per readAll page; default 5000. */
  pageSize?: number;
  /** Called after each page with the number of events checked so far. */
  onProgress?(checked: number): void;
  /**
   * Stream tails an earlier run reported, kept where the database's holders cannot write: each
   * must still be in the log with the same hash. A rewrite that recomputed every later hash
   * passes the chain check, not this one.
   */
  anchors?: ReadonlyMap<string, ChainAnchor>;
}

interface StreamTail {
  revision: number;
  /** Undefined while the stream has had no hashed event yet. */
  hash?: string;
}

/**
 * Re-hashes every stream of the log in position order and reports the first broken link. A
 * stream's events before its first hashed one are counted as unchained, not an error; after it,
 * every event must carry the hash chained to its predecessor's, at the next revision.
 */
export async function verifyChains(
  store: Pick<EventStore, 'readAll'>,
  options: VerifyChainsOptions = {},
): Promise<ChainReport> {
  const pageSize = options.pageSize ?? 5000;
  const tails = new Map<string, StreamTail>();
  let events = 0;
  let unchained = 0;
  let head: ChainReport['head'] = null;
  for (let after = 0; ;) {
    const page = await store.readAll({ after, maxCount: pageSize });
    for (const event of page) {
      events++;
      const tail = tails.get(event.stream);
      const anchor = options.anchors?.get(event.stream);
      const reason =
        check(event, tail) ??
        (anchor?.revision === event.revision && anchor.hash !== event.hash
          ? 'anchor_mismatch'
          : undefined);
      if (reason) {
        const broken = { stream: event.stream, revision: event.revision, position: event.position };
        return {
          events,
          streams: tails.size,
          unchained,
          broken: { ...broken, reason },
          head,
          tails: hashedTails(tails),
        };
      }
      if (event.hash === undefined) unchained++;
      else head = { stream: event.stream, position: event.position, hash: event.hash };
      if (tail) {
        tail.revision = event.revision;
        tail.hash = event.hash;
      } else {
        tails.set(event.stream, { revision: event.revision, hash: event.hash });
      }
    }
    options.onProgress?.(events);
    if (page.length < pageSize) break;
    after = page[page.length - 1].position;
  }
  const short = [...(options.anchors ?? [])].find(
    ([stream, anchor]) => (tails.get(stream)?.revision ?? -1) < anchor.revision,
  );
  const broken: BrokenLink | null = short
    ? { stream: short[0], revision: short[1].revision, position: 0, reason: 'anchor_missing' }
    : null;
  return { events, streams: tails.size, unchained, broken, head, tails: hashedTails(tails) };
}

function hashedTails(tails: Map<string, StreamTail>): Map<string, ChainAnchor> {
  const hashed = new Map<string, ChainAnchor>();
  for (const [stream, { revision, hash }] of tails) {
    if (hash !== undefined) hashed.set(stream, { revision, hash });
  }
  return hashed;
}

function check(event: RecordedEvent, tail: StreamTail | undefined): BrokenLinkReason | undefined {
  const chained = tail?.hash !== undefined;
  if (!chained && event.hash === undefined) return undefined;
  if (event.hash === undefined) return 'hash_missing';
  if (event.revision !== (tail?.revision ?? -1) + 1) return 'revision_gap';
  const expected = chainHash(tail?.hash ?? null, contentDigest(event));
  return expected === event.hash ? undefined : 'hash_mismatch';
}
