import { randomBytes } from 'node:crypto';
import type { EventStore } from '@app/event-store';
import { catchUp } from '../projection/catch-up';
import { ProjectionWriter } from '../projection/projection-writer';
import {
  checkedReadModelSchema,
  DEFAULT_READ_MODEL_SCHEMA,
  openReadModels,
} from '../read-model-data-source';
import { compareSchemas, RowDifference } from './compare-schemas';

export interface VerifyResult {
  /** The checkpoint both sides were compared at. */
  position: number;
  differences: RowDifference[];
}

/**
 * Replays the whole log into a scratch schema up to the live checkpoint and compares the rows
 * with the live tables in one snapshot (DESIGN §5, invariant 5). The live projector may keep
 * running: when its checkpoint moved before the snapshot, the replay catches up and compares
 * again.
 */
export async function verifyReadModels(options: {
  url: string;
  store: EventStore;
  liveSchema?: string;
}): Promise<VerifyResult> {
  const live = checkedReadModelSchema(options.liveSchema ?? DEFAULT_READ_MODEL_SCHEMA);
  const scratch = `verify_${randomBytes(6).toString('hex')}`;
  const replay = await openReadModels({ url: options.url, schema: scratch, poolSize: 2 });
  try {
    const writer = new ProjectionWriter(replay, { notify: false });
    for (let attempt = 0; ; attempt++) {
      const liveCheckpoint = await checkpointOf(replay, live);
      await catchUp(options.store, writer, liveCheckpoint);
      const result = await replay.transaction('REPEATABLE READ', async (m) => {
        if ((await checkpointOf(m, live)) !== liveCheckpoint) return undefined;
        return { position: liveCheckpoint, differences: await compareSchemas(m, live, scratch) };
      });
      if (result) return result;
      if (attempt >= 20) throw new Error('the live projection kept moving; try again');
    }
  } finally {
    await replay.query(`DROP SCHEMA ${scratch} CASCADE`).catch(() => undefined);
    await replay.destroy();
  }
}

async function checkpointOf(
  sql: { query(q: string, p?: unknown[]): Promise<{ position: string }[]> },
  schema: string,
): Promise<number> {
  const rows = await sql.query(`SELECT position FROM ${schema}.projection_checkpoints`);
  return rows.length === 0 ? 0 : Number(rows[0].position);
}
