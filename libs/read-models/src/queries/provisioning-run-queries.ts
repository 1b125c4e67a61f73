import type { DataSource } from 'typeorm';
import { isoUtc, RunView } from './views';

interface RunRow {
  id: string;
  pool: string;
  kind: string;
  status: string;
  node_ids: number[];
  playbook: string | null;
  instance: string;
  started_at: string;
  finished_at: string | null;
  duration: number | null;
  exit_code: number | null;
  timed_out: boolean;
  reason: string | null;
  output_tail: string | null;
}

const RUN_COLUMNS = `id, pool, kind, status, node_ids, playbook, instance,
  started_at::text AS started_at, finished_at::text AS finished_at, duration, exit_code,
  timed_out, reason, output_tail`;

/** The form the provisioner gives run ids; anything else names no run. */
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Provisioner runs as `GET /runs` serves them (admins only: output tails name hosts). */
export class ProvisioningRunQueries {
  constructor(private readonly db: Pick<DataSource, 'query'>) {}

  async run(id: string): Promise<RunView | undefined> {
    const runId = id.toLowerCase();
    if (!RUN_ID.test(runId)) return undefined;
    const rows: RunRow[] = await this.db.query(
      `SELECT ${RUN_COLUMNS} FROM provisioning_runs WHERE id = $1`,
      [runId],
    );
    return rows[0] && runView(rows[0]);
  }

  /** Newest first, of every pool or one. */
  async runs(options: { pool?: string; limit: number }): Promise<RunView[]> {
    const [where, params] =
      options.pool === undefined ? ['true', []] : ['pool = $2', [options.pool]];
    const rows: RunRow[] = await this.db.query(
      `SELECT ${RUN_COLUMNS} FROM provisioning_runs WHERE ${where}
        ORDER BY started_at DESC, started_position DESC LIMIT $1`,
      [options.limit, ...params],
    );
    return rows.map(runView);
  }
}

function runView(r: RunRow): RunView {
  return {
    id: r.id,
    pool: r.pool,
    kind: r.kind,
    status: r.status,
    nodes: r.node_ids,
    playbook: r.playbook,
    instance: r.instance,
    started_at: isoUtc(r.started_at) as string,
    finished_at: isoUtc(r.finished_at),
    duration: r.duration,
    exit_code: r.exit_code,
    timed_out: r.timed_out,
    reason: r.reason,
    output_tail: r.output_tail,
  };
}
