import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import { BreakGlassReview1763800900000 } from '../migrations/1763800900000-BreakGlassReview';
import { SignedIn, TestApp } from '../libs/testing/src';
import { AgencyKind, Role } from '../src/common/enums/agencies';

const BREAK_GLASS = `mutation ($childId: ID!, $reason: String!) {
  breakGlass(childId: $childId, reason: $reason) { id repeatWhileUnreviewed reviewedAt }
}`;
const TO_REVIEW = `{ breakGlassToReview { id childId reviewedAt repeatWhileUnreviewed } }`;
const REVIEW = `mutation ($id: ID!, $outcome: String!) {
  reviewBreakGlass(id: $id, outcome: $outcome) { id reviewedAt reviewOutcome }
}`;

const REASON = 'Found at 2am in a trap house with an adult suspect; need known risks and contacts now.';
const OUTCOME = 'Justified: child at immediate risk, access limited to contacts.';

/**
 * A security review found that a colleague of the person who broke glass could close its review, so the agencies
 * whose record was opened never saw it. Each agency involved when the glass was broken reviews the use itself.
 */
describe('break-glass reviews belong to the agencies whose record was opened', () => {
  let app: TestApp;
  let schoolDsl: SignedIn;
  let socialCareLead: SignedIn;
  let officer: SignedIn;
  let policeLead: SignedIn;
  let youthWorker: SignedIn;
  let childId: string;
  let useId: string;

  const listOf = async (viewer: SignedIn) => (await viewer.client.ok(TO_REVIEW)).breakGlassToReview;
  const idsListedTo = async (viewer: SignedIn) => (await listOf(viewer)).map((use: any) => use.id);
  const breakGlass = async (on: string) =>
    (await officer.client.ok(BREAK_GLASS, { childId: on, reason: REASON })).breakGlass;
  // A new break-glass waits for the last to run out: its 60 minutes are moved into the past.
  const expire = (id: string) =>
    app.dataSource.query(
      `UPDATE break_glass_access
          SET started_at = started_at - interval '61 minutes', expires_at = expires_at - interval '61 minutes'
        WHERE id = $1`,
      [id],
    );

  beforeAll(async () => {
    app = await TestApp.start();
    schoolDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    socialCareLead = await app.factories.signedIn({
      kind: AgencyKind.CHILDRENS_SOCIAL_CARE,
      roles: [Role.SAFEGUARDING_LEAD],
    });
    officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    policeLead = await app.factories.signedIn({ agency: officer.agency!, roles: [Role.SAFEGUARDING_LEAD] });
    childId = await app.factories.children.child({ involved: [schoolDsl.agency!, socialCareLead.agency!] });
    useId = (await breakGlass(childId)).id;
  });
  afterAll(() => app.stop());

  it("is refused to the breaker's own agency, saying the agencies whose record was opened review it", async () => {
    const refused = await policeLead.client.query(REVIEW, { id: useId, outcome: OUTCOME });
    expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.errors?.[0]?.message).toMatch(/agencies whose record was opened review/);
  });

  it('is still listed, unreviewed, to the agencies that hold the record and to the one that answers for its staff', async () => {
    for (const viewer of [schoolDsl, socialCareLead, policeLead]) {
      expect(await listOf(viewer)).toEqual([{ id: useId, childId, reviewedAt: null, repeatWhileUnreviewed: false }]);
    }
  });

  it("is not reviewed by an agency that became involved after the glass was broken: the record opened wasn't its", async () => {
    youthWorker = await app.factories.signedIn({
      kind: AgencyKind.YOUTH_SERVICE,
      roles: [Role.SAFEGUARDING_LEAD],
    });
    await app.factories.children.involvement(childId, youthWorker.agency!);
    expect(await listOf(youthWorker)).toEqual([]);
    expect(
      (await youthWorker.client.query(REVIEW, { id: useId, outcome: OUTCOME })).errors?.[0]?.extensions,
    ).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("one agency's review closes its own, not another's", async () => {
    const reviewed = (await schoolDsl.client.ok(REVIEW, { id: useId, outcome: OUTCOME })).reviewBreakGlass;
    expect(reviewed).toMatchObject({ id: useId, reviewOutcome: OUTCOME });
    expect(reviewed.reviewedAt).not.toBeNull();
    expect(await idsListedTo(schoolDsl)).toEqual([]);
    expect(await listOf(socialCareLead)).toEqual([
      { id: useId, childId, reviewedAt: null, repeatWhileUnreviewed: false },
    ]);
    expect(await idsListedTo(policeLead)).toEqual([useId]);
    const again = await schoolDsl.client.query(REVIEW, { id: useId, outcome: OUTCOME });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'FAILED_PRECONDITION' });
  });

  it('a repeat break-glass while an earlier use is unreviewed is flagged in the review list', async () => {
    await expire(useId);
    const repeat = await breakGlass(childId);
    expect(repeat).toMatchObject({ repeatWhileUnreviewed: true, reviewedAt: null });
    expect(await listOf(socialCareLead)).toEqual([
      { id: useId, childId, reviewedAt: null, repeatWhileUnreviewed: false },
      { id: repeat.id, childId, reviewedAt: null, repeatWhileUnreviewed: true },
    ]);
    expect(await idsListedTo(schoolDsl)).toEqual([repeat.id]);
    await expire(repeat.id);
  });

  it('leaves the list of the agency answering for its staff once every agency whose record was opened has reviewed', async () => {
    // The youth service was involved by the time of the repeat, so that record was its too.
    for (const holder of [socialCareLead, schoolDsl, youthWorker]) {
      for (const id of await idsListedTo(holder)) await holder.client.ok(REVIEW, { id, outcome: OUTCOME });
    }
    expect(await idsListedTo(policeLead)).toEqual([]);
  });

  it('is not flagged once every earlier use has been reviewed', async () => {
    expect(await breakGlass(childId)).toMatchObject({ repeatWhileUnreviewed: false });
  });

  it("is reviewed by the breaker's own agency when no other agency held the record, or no one would review it", async () => {
    const unheld = await app.factories.children.child({ familyName: 'Unheld' });
    const use = await breakGlass(unheld);
    expect(await idsListedTo(policeLead)).toContain(use.id);
    expect((await policeLead.client.ok(REVIEW, { id: use.id, outcome: OUTCOME })).reviewBreakGlass).toMatchObject({
      reviewOutcome: OUTCOME,
    });
  });
});

describe('uses reviewed once, before reviews were per agency', () => {
  let app: TestApp;
  let schoolDsl: SignedIn;
  let policeLead: SignedIn;
  let closedByColleague: string;
  let closedBySchool: string;
  const idsListedTo = async (viewer: SignedIn) =>
    (await viewer.client.ok(TO_REVIEW)).breakGlassToReview.map((use: any) => use.id);

  /** The migration's own SQL, run as the schema owner: undone, the old single review written, then redone. */
  async function migrate(step: 'up' | 'down'): Promise<void> {
    const client = new Client({ connectionString: app.database.url });
    await client.connect();
    try {
      const runner = { query: (sql: string) => client.query(sql) } as unknown as QueryRunner;
      await new BreakGlassReview1763800900000()[step](runner);
    } finally {
      await client.end();
    }
  }

  beforeAll(async () => {
    app = await TestApp.start();
    schoolDsl = await app.factories.signedIn({ kind: AgencyKind.SCHOOL, roles: [Role.SAFEGUARDING_LEAD] });
    const officer = await app.factories.signedIn({ kind: AgencyKind.POLICE, roles: [Role.POLICE_OFFICER] });
    policeLead = await app.factories.signedIn({ agency: officer.agency!, roles: [Role.SAFEGUARDING_LEAD] });
    const childId = await app.factories.children.child({ involved: [schoolDsl.agency!] });
    await migrate('down');
    const closed = (reviewer: SignedIn) =>
      app.ownerQuery(
        `INSERT INTO break_glass_access (child_id, user_id, agency_id, reason, expires_at, reviewed_at, reviewed_by,
                                         review_outcome)
         VALUES ($1, $2, $3, $4, now() + interval '60 minutes', now(), $5, $6) RETURNING id`,
        [childId, officer.user.id, officer.agency!.id, REASON, reviewer.user.id, OUTCOME],
      );
    [[{ id: closedByColleague }], [{ id: closedBySchool }]] = await Promise.all([
      closed(policeLead),
      closed(schoolDsl),
    ]);
    await migrate('up');
  });
  afterAll(() => app.stop());

  it("come back to the agency whose record was opened when the breaker's colleague closed them", async () => {
    expect(await idsListedTo(schoolDsl)).toEqual([closedByColleague]);
    expect(await idsListedTo(policeLead)).toEqual([closedByColleague]);
  });

  it('keep the review of the agency whose record was opened', async () => {
    const reviews = await app.ownerQuery(
      `SELECT agency_id, reviewed_by, outcome FROM break_glass_review WHERE break_glass_id = $1`,
      [closedBySchool],
    );
    expect(reviews).toEqual([{ agency_id: schoolDsl.agency!.id, reviewed_by: schoolDsl.user.id, outcome: OUTCOME }]);
  });
});
