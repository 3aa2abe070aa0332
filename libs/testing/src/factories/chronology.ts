import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { ConcernCategory, RecruitmentSetting, RiskLevel, Sensitivity } from '../../../../src/common/enums/chronology';
import {
  ChronologyRepository,
  ConcernRow,
  NewConcern,
  NewRiskAssessment,
  RiskAssessmentRow,
} from '../../../../src/chronology/chronology.repository';

/** Who writes an entry: a person for an agency (a SignedIn, or a TestUser with its TestAgency). */
interface EntryAuthor {
  user: { id: string };
  agency: { id: string } | null;
}

/** A concern about `childId` by `by`; everything else has a plain default (a STANDARD, LOW entry, now). */
export type ConcernSpec = { childId: string; by: EntryAuthor } & Partial<
  Omit<NewConcern, 'childId' | 'agencyId' | 'recordedBy'>
>;

/** A risk assessment of `childId` by `by`; a STANDARD, MEDIUM one unless told. */
export type RiskAssessmentSpec = { childId: string; by: EntryAuthor } & Partial<
  Omit<NewRiskAssessment, 'childId' | 'agencyId' | 'assessedBy'>
>;

function agencyOf(author: EntryAuthor): string {
  if (!author.agency) throw new Error('a chronology entry is written for an agency: the author needs one');
  return author.agency.id;
}

/**
 * Writes the concern through the chronology repository, as recordConcern would, without the checks of the
 * mutation: tests arrange entries that no request could write (a moment shared by several, a restricted
 * assessment by an agency that does not assess) and entries of agencies the test does not sign in as.
 */
export function concern(db: DataSource, nest: INestApplication, spec: ConcernSpec): Promise<ConcernRow> {
  const { by, childId, ...rest } = spec;
  return nest.get(ChronologyRepository).insertConcern(db.manager, {
    childId,
    agencyId: agencyOf(by),
    recordedBy: by.user.id,
    occurredAt: new Date(),
    category: ConcernCategory.OTHER,
    indicators: [],
    recruitmentSetting: RecruitmentSetting.UNKNOWN,
    riskLevel: RiskLevel.LOW,
    sensitivity: Sensitivity.STANDARD,
    narrative: 'Seen with older boys at the gate.',
    amendsConcernId: null,
    ...rest,
  });
}

/** Writes the risk assessment through the chronology repository (see `concern`). */
export function riskAssessment(
  db: DataSource,
  nest: INestApplication,
  spec: RiskAssessmentSpec,
): Promise<RiskAssessmentRow> {
  const { by, childId, ...rest } = spec;
  return nest.get(ChronologyRepository).insertRiskAssessment(db.manager, {
    childId,
    agencyId: agencyOf(by),
    assessedBy: by.user.id,
    level: RiskLevel.MEDIUM,
    exploitationTypes: [],
    rationale: 'Several agencies see the same pattern.',
    sensitivity: Sensitivity.STANDARD,
    ...rest,
  });
}
