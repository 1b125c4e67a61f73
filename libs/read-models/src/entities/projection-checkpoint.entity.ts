import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Last event position a projection has applied; written in the same transaction as its rows. */
@Entity({ name: 'projection_checkpoints' })
export class ProjectionCheckpointEntity {
  @PrimaryColumn({ type: 'text' }) name: string;
  @Column({ type: 'bigint' }) position: string;
}
