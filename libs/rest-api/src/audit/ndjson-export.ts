import type { ServerResponse } from 'node:http';
import type { HistoryEntryBody } from '@app/contracts';

const PAGE = 2000;

/**
 * The log as JSON lines, page after page, at the pace the client reads (a full socket buffer
 * waits for `drain`), until the log or `limit` ends or the client goes away. A failure after
 * the first line can no longer become a problem answer: the connection is cut instead, so an
 * export is either complete or visibly truncated.
 */
export async function writeNdjson(
  res: ServerResponse,
  readPage: (after: number, limit: number) => Promise<HistoryEntryBody[]>,
  after: number,
  limit: number | undefined,
): Promise<void> {
  let left = limit ?? Infinity;
  let cursor = after;
  let started = false;
  let gone = false;
  res.on('close', () => (gone = true));
  try {
    // A page read ahead may fail after the client left: that failure is nobody's to report.
    const prefetch = (from: number, count: number) => {
      const page = readPage(from, count);
      page.catch(() => undefined);
      return page;
    };
    let pending = prefetch(cursor, Math.min(PAGE, left));
    while (left > 0 && !gone) {
      const asked = Math.min(PAGE, left);
      const page = await pending;
      if (!started) {
        res.statusCode = 200;
        res.setHeader('Content-Type', 'application/x-ndjson');
        started = true;
      }
      if (page.length === 0) break;
      cursor = page[page.length - 1].position;
      left -= page.length;
      const more = page.length === asked && left > 0; // a short page: the end of the log for now
      // The next page is read while this one goes out (the database and the socket overlap).
      if (more) pending = prefetch(cursor, Math.min(PAGE, left));
      const text = page.map((e) => JSON.stringify(e)).join('\n') + '\n';
      if (!res.write(text)) await drainedOrClosed(res);
      if (!more) break;
    }
    res.end();
  } catch (error) {
    if (!started) throw error;
    res.destroy(error as Error);
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
