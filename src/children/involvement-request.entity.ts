import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AgencyEntity } from '../agencies/agency.entity';
import { UserEntity } from '../agencies/user.entity';
import { IdentifierScheme, InvolvementBasis } from '../common/enums/children';
import { sqlList } from '../database/sql-list';
import { ChildEntity } from './child.entity';

/** Where an involvement request stands (contract.graphql InvolvementRequestStatus). */
export enum InvolvementRequestStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
}

/** An identifier as the requester gave it, waiting to join the record if the request is accepted. */
export interface RequestedIdentifier {
  scheme: IdentifierScheme;
  value: string;
}

/**
 * An agency asking to become involved with a child that already has a record (DESIGN §4): nothing opens until a
 * lead of an involved agency accepts it. One pending request per child and agency.
 */
@Entity('involvement_request')
@Check('involvement_request_basis_check', `basis IN (${sqlList(InvolvementBasis)})`)
@Check('involvement_request_reason_check', 'length(btrim(reason)) BETWEEN 20 AND 2000')
@Check('involvement_request_identifiers_check', `jsonb_typeof(identifiers) = 'array'`)
@Check('involvement_request_status_check', `status IN (${sqlList(InvolvementRequestStatus)})`)
@Check('involvement_request_decision_note_check', 'length(btrim(decision_note)) BETWEEN 1 AND 2000')
@Check(
  'involvement_request_decided_check',
  `(status = 'PENDING') = (decided_at IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)`,
)
@Check('involvement_request_decline_note_check', `status <> 'DECLINED' OR decision_note IS NOT NULL`)
@Index('involvement_request_pending_key', ['childId', 'requestingAgencyId'], {
  unique: true,
  where: `status = 'PENDING'`,
})
@Index('involvement_request_child_idx', ['childId'])
@Index('involvement_request_agency_idx', ['requestingAgencyId'])
export class InvolvementRequestEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid')
  @ForeignKey(() => ChildEntity, { name: 'involvement_request_child_id_fkey' })
  childId!: string;
  @Column('uuid')
  @ForeignKey(() => AgencyEntity, { name: 'involvement_request_requesting_agency_id_fkey' })
  requestingAgencyId!: string;
  @Column('uuid')
  @ForeignKey(() => UserEntity, { name: 'involvement_request_requested_by_fkey' })
  requestedBy!: string;
  @Column('text') basis!: InvolvementBasis;
  @Column('text') reason!: string;
  @Column('jsonb', { default: () => "'[]'" }) identifiers!: RequestedIdentifier[];
  @Column('text', { array: true, default: () => `'{}'` }) matchedOn!: string[];
  @Column('text', { default: InvolvementRequestStatus.PENDING }) status!: InvolvementRequestStatus;
  @Column('timestamptz', { default: () => 'now()' }) requestedAt!: Date;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => UserEntity, { name: 'involvement_request_decided_by_fkey' })
  decidedBy!: string | null;
  @Column('uuid', { nullable: true })
  @ForeignKey(() => AgencyEntity, { name: 'involvement_request_deciding_agency_id_fkey' })
  decidingAgencyId!: string | null;
  @Column('timestamptz', { nullable: true }) decidedAt!: Date | null;
  @Column('text', { nullable: true }) decisionNote!: string | null;
}
