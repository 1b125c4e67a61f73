import type { EventStore } from '@app/event-store';
import type { ProjectionWriter } from './projection-writer';

const PAGE = 500;

/**
 * Reads `$all` after the writer's checkpoint, page by page, applying each page in one
 * transaction; stops at the end of the log (or after `until`). Returns the final checkpoint.
 */
export async function catchUp(
  store: EventStore,
  writer: ProjectionWriter,
  until = Number.POSITIVE_INFINITY,
): Promise<number> {
  let position = await writer.checkpoint();
  while (position < until) {
    const page = (await store.readAll({ after: position, maxCount: PAGE })).filter(
      (e) => e.position <= until,
    );
    if (page.length === 0) break;
    position = await writer.apply(page);
  }
  return position;
}
