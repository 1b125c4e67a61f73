import type { DataSource } from 'typeorm';
import type { RecordedEvent } from '@app/event-store';
import { projectPage, READ_MODEL_PROJECTION } from './read-model-projection';

/** NOTIFY channel carrying the new checkpoint after each commit; the api waits on it. */
export const CHECKPOINT_CHANNEL = 'duffy_read_models_checkpoint';

/** The checkpoint row, locked: the first statement of a page (made by the very first page). */
const LOCK_CHECKPOINT = 'SELECT position FROM projection_checkpoints WHERE name = $1 FOR UPDATE';
const MAKE_CHECKPOINT = `INSERT INTO projection_checkpoints (name, position) VALUES ($1, 0)
  ON CONFLICT (name) DO NOTHING`;

/**
 * Applies pages of events in one transaction each, together with the checkpoint. The
 * checkpoint row is locked first and events at or below it are skipped, so a redelivery — or a
 * second projector that somehow runs — never applies an event twice. A page costs the same
 * few statements whether it holds one event (the live projector) or thousands (catch-up):
 * lock the checkpoint, load (with the audit rows), write (with the checkpoint and NOTIFY).
 */
export class ProjectionWriter {
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
      let rows: { position: string }[] = await manager.query(LOCK_CHECKPOINT, [
        READ_MODEL_PROJECTION,
      ]);
      if (rows.length === 0) {
        await manager.query(MAKE_CHECKPOINT, [READ_MODEL_PROJECTION]);
        rows = await manager.query(LOCK_CHECKPOINT, [READ_MODEL_PROJECTION]);
      }
      let position = Number(rows[0].position);
      const fresh: RecordedEvent[] = [];
      for (const event of events) {
        if (event.position <= position) continue;
        fresh.push(event);
        position = event.position;
      }
      if (fresh.length === 0) return position;
      // The checkpoint moves (and is announced) in the page's last statement.
      await projectPage(manager, fresh, (p) => ({
        writes: [
          `checkpoint_moved AS (UPDATE projection_checkpoints SET position = ${p.add(position, 'bigint')}
            WHERE name = ${p.add(READ_MODEL_PROJECTION, 'text')})`,
        ],
        select: this.options.notify
          ? `SELECT pg_notify(${p.add(CHECKPOINT_CHANNEL, 'text')}, ${p.add(String(position), 'text')})`
          : undefined,
      }));
      return position;
    });
  }
}
