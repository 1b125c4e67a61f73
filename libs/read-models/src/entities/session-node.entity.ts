import { Column, Entity, PrimaryColumn } from 'typeorm';

/** compat §2.1 `sessions_nodes`, with the node's address kept as allocated (W-C25). */
@Entity({ name: 'sessions_nodes' })
export class SessionNodeEntity {
  @PrimaryColumn({ name: 'session_id', type: 'integer' }) sessionId: number;
  @PrimaryColumn({ name: 'node_id', type: 'integer' }) nodeId: number;
  @Column({ type: 'text' }) pool: string;
  /** Snapshot of the node's data at allocation. */
  @Column({ type: 'json', default: {} }) data: Record<string, unknown>;
  @Column({ type: 'text', nullable: true }) hostname: string | null;
  @Column({ type: 'text', nullable: true }) ipaddr: string | null;
  @Column({ type: 'boolean', default: false }) reusable: boolean;
}
