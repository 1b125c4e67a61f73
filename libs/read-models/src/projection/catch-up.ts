import type { EventStore, RecordedEvent } from '@app/event-store';

/** What catch-up needs of a writer (ProjectionWriter; the per-event reference in tests). */
export interface PageWriter {
  checkpoint(): Promise<number>;
  apply(events: RecordedEvent[]): Promise<number>;
}

/** Events per page (and transaction) when catching up: the cost of a page hardly grows with it. */
export const CATCH_UP_PAGE = 2_000;

/**
 * Reads `$all` after the writer's checkpoint, page by page, applying each page in one
 * transaction; stops at the end of the log (or after `until`). Returns the final checkpoint.
 * The next page is read while the current one is written (the log and the tables are read and
 * written on different connections), so replay costs about the slower of the two, not the sum.
 */
export async function catchUp(
  store: EventStore,
  writer: PageWriter,
  until = Number.POSITIVE_INFINITY,
  pageSize = CATCH_UP_PAGE,
): Promise<number> {
  const read = (after: number) => {
    const page = store
      .readAll({ after, maxCount: pageSize })
      .then((events) => events.filter((e) => e.position <= until));
    page.catch(() => undefined); // awaited below; a write failure must not leave it unhandled
    return page;
  };
  let position = await writer.checkpoint();
  let next = position < until ? read(position) : undefined;
  while (next) {
    const page = await next;
    if (page.length === 0) break;
    const last = page[page.length - 1].position;
    next = last < until ? read(last) : undefined;
    position = await writer.apply(page);
  }
  return position;
}
