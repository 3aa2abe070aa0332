import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from './agencies.enums';

/** An offer to join an agency. Only a hash of the token is kept; the token itself is shown once, to the inviter. */
@Entity('invitation')
export class InvitationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid') agencyId!: string;
  @Column('text') email!: string;
  @Column('text') displayName!: string;
  @Column('text', { array: true }) roles!: Role[];
  @Column('text', { select: false }) tokenHash!: string;
  @Column('uuid') invitedBy!: string;
  @Column('timestamptz') expiresAt!: Date;
  @Column('timestamptz', { nullable: true }) acceptedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
}
