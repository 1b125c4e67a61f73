import type { DataSource } from 'typeorm';
import type { RecordedEvent } from '@app/event-store';
import { projectEvent, READ_MODEL_PROJECTION } from './read-model-projection';

const CHECKPOINT_CHANNEL = 'duffy_read_models_checkpoint';

/**
 * The projection as it was before it batched (issue 14): every event applied with statements of
 * its own. Kept only as the reference the batched projection is proven equal to
 * (`batched-projection.pg.spec.ts`) and measured against (`bench/replay.bench.ts`).
 *
 * Applies batches of events in one transaction each, together with the checkpoint. The
 * checkpoint row is locked first and events at or below it are skipped, so a redelivery — or a
 * second projector that somehow runs — never applies an event twice.
 */
export class PerEventProjectionWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: { notify: boolean } = { notify: true },
  ) {}

  async checkpoint(): Promise<number> {
    const rows: { position: string }[] = await this.dataSource.query(
      'SELECT position FROM projection_checkpoints WHERE name = $1',
      [READ_MODEL_PROJECTION],
    );
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  /** Applies the events after the checkpoint; returns the checkpoint after the batch. */
  async apply(events: RecordedEvent[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0)
         ON CONFLICT (name) DO NOTHING`,
        [READ_MODEL_PROJECTION],
      );
      const rows: { position: string }[] = await manager.query(
        'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE',
        [READ_MODEL_PROJECTION],
      );
      let position = Number(rows[0].position);
      const start = position;
      for (const event of events) {
        if (event.position <= position) continue;
        await projectEvent(manager, event);
        position = event.position;
      }
      if (position !== start) {
        await manager.query('UPDATE projection_checkpoints SET position = $2 WHERE name = $1', [
          READ_MODEL_PROJECTION,
          position,
        ]);
        if (this.options.notify) {
          await manager.query('SELECT pg_notify($1, $2)', [CHECKPOINT_CHANNEL, String(position)]);
        }
      }
      return position;
    });
  }
}
