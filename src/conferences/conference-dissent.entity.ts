import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { ConferenceEntity } from './conference.entity';

/** An agency present that does not agree with the decision, and why (Working Together: dissent is recorded). */
@Entity('conference_dissent')
@Check('conference_dissent_note_check', 'length(btrim(note)) BETWEEN 1 AND 2000')
export class ConferenceDissentEntity {
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'conference_dissent_pkey' })
  @ForeignKey(() => ConferenceEntity, { name: 'conference_dissent_conference_id_fkey' })
  conferenceId!: string;
  @PrimaryColumn('uuid', { primaryKeyConstraintName: 'conference_dissent_pkey' })
  @ForeignKey(() => AgencyEntity, { name: 'conference_dissent_agency_id_fkey' })
  agencyId!: string;
  @Column('text') note!: string;
}
