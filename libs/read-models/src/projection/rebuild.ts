import type { DataSource } from 'typeorm';
import type { EventStore } from '@app/event-store';
import { READ_MODEL_TABLES } from '../entities';
import { catchUp } from './catch-up';
import { ProjectionWriter } from './projection-writer';

/**
 * `projector rebuild` without the process around it: empties the read-model tables and replays
 * the whole log into them. Returns the checkpoint reached. The caller holds the projector lock.
 */
export async function rebuildFromLog(readModels: DataSource, store: EventStore): Promise<number> {
  await readModels.query(`TRUNCATE ${READ_MODEL_TABLES.join(', ')}`);
  return catchUp(store, new ProjectionWriter(readModels));
}
