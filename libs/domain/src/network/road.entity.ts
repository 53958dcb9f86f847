import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** 道路: a named road of the network. `ref` is the import's roadId, or the name when it had none. */
@Entity('road')
export class Road {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'text', unique: true })
  ref: string;

  @Column({ type: 'text' })
  name: string;
}
