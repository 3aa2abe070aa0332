import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { IdentifierScheme } from './children.enums';

/** A normalised identifier; (scheme, value) is unique across all children. */
@Entity('child_identifier')
export class ChildIdentifierEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') childId!: string;
  @Column('text') scheme!: IdentifierScheme;
  @Column('text') value!: string;
  /** An OTHER identifier is shown only to the agency that recorded it. */
  @Column('uuid') recordedByAgencyId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
