import { foldPage, ProjectedEvent, rowKeysOf } from './fold-page';
import { loadRows } from './load-rows';
import type { Params, Sql } from './sql';
import { writeRows, WriteTail } from './write-rows';

/** Statements the caller has written together with the page's own: see projectPage. */
export interface PageWrites {
  /** Written by the loading statement (audit rows). */
  withLoad?: (p: Params) => string;
  /** Written by the last statement (the checkpoint). */
  withWrite?: (p: Params) => WriteTail;
}

/**
 * The rows of a page of events in two statements, whatever its size: one loads what the page
 * touches (and has PostgreSQL convert its instants), a pure fold in memory makes the rows as
 * the events leave them, one writes every table that changed and counts the pools touched.
 */
export async function projectRows(
  sql: Sql,
  events: ProjectedEvent[],
  writes: PageWrites = {},
): Promise<void> {
  const keys = rowKeysOf(events);
  const loaded = await loadRows(sql, keys, writes.withLoad);
  await writeRows(sql, foldPage(events, keys, loaded), writes.withWrite);
}
