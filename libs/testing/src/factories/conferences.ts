import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { dateInEnglandAndWales } from '../../../../libs/working-days/src';
import { ConferenceKind, InvitationResponse } from '../../../../src/common/enums/conferences';
import { conferenceDueBy } from '../../../../src/conferences/conference-timescales';
import { ConferencesRepository } from '../../../../src/conferences/conferences.repository';
import type { TestAgency, TestUser } from './test-people';

const DAY = 24 * 3600_000;

/** A person acting for an agency: the chair, an invitee, an attendee. */
export interface ConferencePerson {
  user: TestUser;
  agency: TestAgency | null;
}

export interface ConferenceSpec {
  childId: string;
  /** Chairs it for their agency, and convened it. */
  chair: ConferencePerson;
  /** Each accepted their agency's invitation. */
  invitees?: readonly ConferencePerson[];
  /** An exploitation risk meeting by default: it needs no strategy discussion or preceding conference. */
  kind?: ConferenceKind.EXPLOITATION_RISK | ConferenceKind.STRATEGY_DISCUSSION;
}

/** A conference as a client would next send it: its id and the version to compare against. */
export interface TestConference {
  id: string;
  version: number;
}

function agencyOf(person: ConferencePerson): TestAgency {
  if (!person.agency) throw new Error(`${person.user.displayName} acts for no agency`);
  return person.agency;
}

/**
 * Conferences in the state a test starts from, written by the service's own repository (the rows convening,
 * answering and starting write), without the rules those steps check (the chair's role, who may answer, the
 * child's access): a test of one step arranges the steps before it in a few statements instead of a dozen requests.
 */
export class ConferenceFactories {
  private readonly repository: ConferencesRepository;

  constructor(
    private readonly db: DataSource,
    nest: INestApplication,
  ) {
    this.repository = nest.get(ConferencesRepository);
  }

  /** CONVENED, a week from now, every invitation accepted by its invitee. */
  async convened(spec: ConferenceSpec): Promise<TestConference> {
    const manager = this.db.manager;
    const kind = spec.kind ?? ConferenceKind.EXPLOITATION_RISK;
    const scheduledFor = new Date(Date.now() + 7 * DAY);
    const chairAgency = agencyOf(spec.chair);
    const id = await this.repository.insertConference(manager, {
      childId: spec.childId,
      kind,
      chairId: spec.chair.user.id,
      chairAgencyId: chairAgency.id,
      convenedBy: spec.chair.user.id,
      scheduledFor,
      dueBy: conferenceDueBy(kind, {
        strategyDiscussionOn: null,
        reviewDueFromPreceding: null,
        scheduledOn: dateInEnglandAndWales(scheduledFor),
      }),
      strategyDiscussionOn: null,
      precedingConferenceId: null,
    });
    const invitees = spec.invitees ?? [];
    await this.repository.insertInvitations(
      manager,
      id,
      invitees.map((person) => agencyOf(person).id),
    );
    const invitations = await this.repository.invitations(manager, [id]);
    for (const person of invitees) {
      const invitation = invitations.find((inv) => inv.agencyId === agencyOf(person).id)!;
      await this.repository.respond(manager, invitation.id, person.user.id, InvitationResponse.ACCEPTED);
    }
    return { id, version: 1 };
  }

  /** IN_SESSION, with the chair and `present` (every invitee, unless told) recorded present for their agencies. */
  async inSession(spec: ConferenceSpec & { present?: readonly ConferencePerson[] }): Promise<TestConference> {
    const convened = await this.convened(spec);
    const present = [spec.chair, ...(spec.present ?? spec.invitees ?? [])];
    await this.repository.start(this.db.manager, convened.id, convened.version);
    await this.repository.insertAttendance(
      this.db.manager,
      convened.id,
      present.map((person) => ({ userId: person.user.id, agencyId: agencyOf(person).id, present: true })),
    );
    return { id: convened.id, version: convened.version + 1 };
  }
}
