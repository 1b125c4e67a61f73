import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One provisioner run (ProvisioningRunStarted/Finished on `run-<id>`, or `pool-<name>` in older
 * logs), as `GET /runs` shows it. Not in the original: Duffy kept no record of its playbook runs.
 */
@Entity({ name: 'provisioning_runs' })
export class ProvisioningRunEntity {
  /** The runId, a UUID as the provisioner makes it. */
  @PrimaryColumn({ type: 'text' }) id: string;
  @Column({ type: 'text' }) pool: string;
  /** provision | deprovision */
  @Column({ type: 'text' }) kind: string;
  /** running | succeeded | failed */
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'node_ids', type: 'integer', array: true }) nodeIds: number[];
  @Column({ type: 'text', nullable: true }) playbook: string | null;
  /** The provisioner instance that ran it. */
  @Column({ type: 'text' }) instance: string;
  @Column({ name: 'started_at', type: 'timestamp' }) startedAt: Date;
  /** Log position of the start: orders runs that started in the same millisecond. */
  @Column({ name: 'started_position', type: 'bigint' }) startedPosition: string;
  @Column({ name: 'finished_at', type: 'timestamp', nullable: true }) finishedAt: Date | null;
  /** Seconds; null while running. */
  @Column({ type: 'double precision', nullable: true }) duration: number | null;
  @Column({ name: 'exit_code', type: 'integer', nullable: true }) exitCode: number | null;
  @Column({ name: 'timed_out', type: 'boolean', default: false }) timedOut: boolean;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ name: 'output_tail', type: 'text', nullable: true }) outputTail: string | null;
}
