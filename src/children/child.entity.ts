import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { UserEntity } from '../agencies/user.entity';
import { sqlList } from '../database/sql-list';
import { ChildFlag } from '../common/enums/children';

/**
 * The one record of a child shared by every agency (DESIGN §2). Updated only by a compare-and-set on `version`
 * (see ChildrenService.update): TypeORM's own version column does not prevent lost updates.
 */
@Entity('child')
@Check('child_given_name_check', 'length(btrim(given_name)) BETWEEN 1 AND 100')
@Check('child_family_name_check', 'length(btrim(family_name)) BETWEEN 1 AND 100')
@Check('child_aliases_check', 'cardinality(aliases) <= 20 AND array_position(aliases, NULL) IS NULL')
@Check('child_gender_check', 'length(btrim(gender)) BETWEEN 1 AND 50')
@Check('child_address_check', 'length(btrim(address)) BETWEEN 1 AND 500')
@Check('child_flags_check', `flags <@ ARRAY[${sqlList(ChildFlag)}]::text[]`)
@Check('child_version_check', 'version >= 1')
@Index('child_list_order_idx', ['familyName', 'givenName', 'id'])
// Trigram (GIN) and name-sound indexes for name search and matching, which TypeORM cannot declare.
@Index('child_full_name_trgm_idx', { synchronize: false })
@Index('child_alias_names_trgm_idx', { synchronize: false })
@Index('child_given_name_trgm_idx', { synchronize: false })
@Index('child_family_name_trgm_idx', { synchronize: false })
@Index('child_name_sounds_idx', { synchronize: false })
@Index('child_date_of_birth_idx', ['dateOfBirth'])
@Index('child_flags_idx', ['flags'], { type: 'gin' })
export class ChildEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') givenName!: string;
  @Column('text') familyName!: string;
  @Column('text', { array: true, default: () => "'{}'" }) aliases!: string[];
  /** A calendar date, carried as 'YYYY-MM-DD'. */
  @Column('date', { nullable: true }) dateOfBirth!: string | null;
  @Column('text', { nullable: true }) gender!: string | null;
  /** Only the INVOLVED and BREAK_GLASS routes see it (DESIGN §4). */
  @Column('text', { nullable: true }) address!: string | null;
  @Column('text', { array: true, default: () => "'{}'" }) flags!: ChildFlag[];
  @Column('integer', { default: 1 }) version!: number;
  @Column('boolean', { default: false }) demo!: boolean;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'child_created_by_fkey' })
  createdBy!: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { default: () => 'now()' }) updatedAt!: Date;
  /** Search and matching read these; a trigger derives them from the names, so code never writes them. */
  @Column({ type: 'text', insert: false, update: false, select: false }) fullName!: string;
  @Column({ type: 'text', insert: false, update: false, select: false }) givenNameUnaccented!: string;
  @Column({ type: 'text', insert: false, update: false, select: false }) familyNameUnaccented!: string;
  @Column({ type: 'text', insert: false, update: false, select: false }) aliasNames!: string;
}
