import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Active nodes per pool and state (compat §1.4 verbose pool `levels`). */
@Entity({ name: 'pool_levels' })
export class PoolLevelEntity {
  @PrimaryColumn({ type: 'text' }) pool: string;
  @PrimaryColumn({ type: 'text' }) state: string;
  @Column({ type: 'integer' }) count: number;
}
