import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { subject } from '@casl/ability';
import {
  ChildAccess,
  ChildAccessScope,
  loadChildAccess,
  primeChildAccess,
  viaBreakGlass,
} from '../access/child-access';
import { type ChildAction, mayOnChild, requireOnChild, requireToRegister } from '../access/child-decisions';
import { addressSeen, recordableIdentifierSchemes, requireIdentifierSchemes } from '../access/child-record.visibility';
import { alreadyInvolved } from '../access/involvement-requests.decisions';
import type { ActingMembership } from '../access/actor';
import type { AppAbility } from '../access/app-ability';
import { isUuid } from '../database/postgres';
import { AuditLog } from '../audit/log/audit-log.service';
import { AgenciesService } from '../agencies/agencies.service';
import { riskLevelsAtLeast } from '../common/enums/chronology';
import type { ChildFlag, IdentifierScheme } from '../common/enums/children';
import {
  BadUserInputError,
  ConflictError,
  FailedPreconditionError,
  ForbiddenError,
  NotFoundError,
} from '../common/errors';
import type { Scope } from '../access/scope';
import type { ChildFilter, RegisterChildInput, UpdateChildInput } from './children.inputs';
import { ChildrenRepository, type ChildChanges, type ChildRow } from './children.repository';
import type { ChildConnection, ChildIdentifierType, ChildType, InvolvementType } from './children.types';
import { recordIdentifiersAdded } from './identifier-audit';
import { normaliseIdentifiers, type NormalisedIdentifier } from './identifiers';
import { normaliseName, normaliseNames, searchableName } from './names';
import { ChildMatchingService } from './child-matching.service';
import { InvolvementRequestsService } from './involvement-requests.service';
import type { RegisterChildPayload } from './involvement-requests.types';

const CHILD_BY_ID = new LoaderKey<string, ChildType | null>('a child by id');
const IDENTIFIERS = new LoaderKey<string, ChildIdentifierType[]>("a child's identifiers");
const INVOLVEMENTS = new LoaderKey<string, InvolvementType[]>("a child's involvements");

export const DEFAULT_CHILD_PAGE = 20;
/** More words than this in a name search is not a name. */
const MAX_SEARCH_WORDS = 5;
/** PostgreSQL text cannot hold it: a cursor carrying one was not issued by us (arguments are checked on input). */
const NUL = '\u0000';

function toChild(row: ChildRow, ability: AppAbility): ChildType {
  const access: ChildAccess = { childId: row.id, route: row.route, tiers: row.tiers, fullRecord: row.fullRecord };
  return {
    id: row.id,
    givenName: row.givenName,
    familyName: row.familyName,
    aliases: row.aliases,
    dateOfBirth: row.dateOfBirth,
    gender: row.gender,
    address: addressSeen(ability, row),
    accessRoute: row.route,
    flags: row.flags,
    version: row.version,
    access,
  };
}

/** The access the statement that loaded the child computed with it. */
function accessOf(row: ChildRow): ChildAccess {
  return { childId: row.id, route: row.route, tiers: row.tiers, fullRecord: row.fullRecord };
}

/** The list order key, opaque to clients. */
function encodeCursor(child: ChildType): string {
  return Buffer.from(JSON.stringify([child.familyName, child.givenName, child.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(key) &&
      key.length === 3 &&
      key.every((part) => typeof part === 'string' && !part.includes(NUL)) &&
      isUuid(key[2] as string)
    ) {
      return key as [string, string, string];
    }
  } catch {
    // An unreadable cursor is the client's mistake, answered below.
  }
  throw new BadUserInputError('This cursor was not issued by children(); start again without it', 'after');
}

/** `%word%` for ILIKE, with the pattern characters of the word taken literally. */
function containsPattern(word: string): string {
  return `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** A date of birth after today is a typing error (a wrong year) that would also break age-based rules. */
function assertBorn(dateOfBirth: string | null | undefined, field: string): void {
  if (dateOfBirth && dateOfBirth > new Date().toISOString().slice(0, 10)) {
    throw new BadUserInputError('The date of birth cannot be in the future', field);
  }
}

/**
 * The child record (DESIGN §2, §4): registration (which never opens an existing record), correction without
 * lost updates, the end of an involvement, and reads that only ever return children the viewer reaches, with
 * the fields their route opens. Every read joins `ChildAccessScope` in SQL (ChildrenRepository); nothing is loaded
 * and then dropped. What may be done is asked of src/access (child-decisions.ts, child-record.visibility.ts).
 */
@Injectable()
export class ChildrenService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: ChildrenRepository,
    private readonly matching: ChildMatchingService,
    private readonly requests: InvolvementRequestsService,
    private readonly agencies: AgenciesService,
  ) {}

  /** Whether the viewer may do `action` to a child it has loaded, by the route it loaded it through. */
  may(ctx: Scope, child: ChildType, action: ChildAction): boolean {
    return mayOnChild(ctx, action, child.access);
  }

  /** The schemes the viewer's agency records identifiers of when registering a child. */
  recordableIdentifierSchemes(ctx: Scope): IdentifierScheme[] {
    return recordableIdentifierSchemes(ctx.signedIn.ability);
  }

  /** A child the viewer reaches, or null exactly as if it did not exist. Batched per request. */
  load(ctx: Scope, id: string): Promise<ChildType | null> {
    return this.byId(ctx).load(id);
  }

  async list(
    ctx: Scope,
    filter: ChildFilter | undefined,
    size: number,
    after: string | undefined,
  ): Promise<ChildConnection> {
    const cursor = after ? decodeCursor(after) : null;
    const words = searchableName(filter?.search ?? '')
      .split(' ')
      .filter(Boolean);
    if (words.length > MAX_SEARCH_WORDS) {
      throw new BadUserInputError(`Search for at most ${MAX_SEARCH_WORDS} words`, 'filter.search');
    }
    const rows = await this.repository.list(await ctx.manager(), ctx.actor, {
      after: cursor,
      namePatterns: words.map(containsPattern),
      flag: filter?.flag ?? null,
      category: filter?.category ?? null,
      riskLevels: filter?.minRisk ? riskLevelsAtLeast(filter.minRisk) : null,
      limit: size + 1,
    });
    const page = rows.slice(0, size);
    const children = page.map((row) => toChild(row, ctx.signedIn.ability));
    primeChildAccess(ctx, page.map(accessOf));
    children.forEach((child) => this.audit.recordRead(ctx, child.id, child.accessRoute));
    // Prime the loader so a child fetched again by id in the same request costs nothing.
    const byId = this.byId(ctx);
    children.forEach((child) => byId.prime(child.id, child));
    const edges = children.map((node) => ({ cursor: encodeCursor(node), node }));
    const pageInfo: ChildConnection['pageInfo'] = {
      hasNextPage: rows.length > size,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    };
    return { edges, pageInfo };
  }

  /**
   * Registers a child for the acting agency. Knowing an identifier opens nothing (DESIGN §4): when one given
   * already belongs to a child, nothing is created and nothing opens; the agency's involvement is asked of the
   * agencies involved (an involvement request, which needs a reason). Without a matching identifier, a record
   * that is likely the same child (the same date of birth, close names) is answered as possibleMatches, again
   * creating nothing, until the person confirms a new child: one record per child is what lets agencies see
   * each other's concerns. An agency already involved with the matched child gets its record back.
   */
  async register(ctx: Scope, input: RegisterChildInput): Promise<RegisterChildPayload> {
    const { actor } = ctx.signedIn;
    const membership = requireToRegister(ctx);
    assertBorn(input.dateOfBirth, 'input.dateOfBirth');
    const givenName = normaliseName(input.givenName, 'input.givenName');
    const familyName = normaliseName(input.familyName, 'input.familyName');
    const aliases = normaliseNames(input.aliases ?? [], 'input.aliases');
    requireIdentifierSchemes(ctx.signedIn.ability, 'record', input.identifiers, 'input.identifiers');
    const identifiers = normaliseIdentifiers(input.identifiers, 'input.identifiers');
    const manager = await ctx.manager();
    const owners = await this.repository.holdersOf(manager, identifiers);
    if (owners.length > 1) {
      const conflict = new ConflictError(
        'These identifiers belong to different children; check them before registering',
      );
      // Audited although refused: unseen, registering would test which identifiers are known, and whose.
      for (const owner of owners) {
        this.audit.recordRefused(
          ctx,
          { action: 'registerChild', subjectType: 'Child', subjectId: owner, childId: owner },
          conflict,
        );
      }
      throw conflict;
    }
    if (owners.length === 1) return this.registerKnown(ctx, membership, owners[0], input, identifiers);
    if (!input.confirmedNewChild) {
      const possibleMatches = await this.matching.likelyMatches(ctx, {
        givenName,
        familyName,
        dateOfBirth: input.dateOfBirth,
      });
      if (possibleMatches.length > 0) return { child: null, involvementRequest: null, possibleMatches };
    }
    const childId = await this.repository.insertChild(manager, {
      givenName,
      familyName,
      aliases,
      dateOfBirth: input.dateOfBirth ?? null,
      gender: input.gender?.trim() || null,
      address: input.address?.trim() || null,
      createdBy: actor.userId,
    });
    const added = await this.repository.addIdentifiers(manager, childId, identifiers, membership.agencyId);
    // Another registration of the same identifier committed between our lookup and insert: refuse rather than
    // keep a second record; registering again now finds the first one.
    if (added.length < identifiers.length) {
      throw new ConflictError('This child was registered by someone else at the same moment; register again');
    }
    await this.repository.openInvolvement(manager, {
      childId,
      agencyId: membership.agencyId,
      basis: input.basis,
      since: null,
      createdBy: actor.userId,
    });
    const [child] = await this.fetch(ctx, [childId]);
    if (!child) throw new Error(`registered child ${childId} is not reachable by its registering agency`);
    this.recordChange(ctx, 'registerChild', 'Child', childId, child);
    return { child, involvementRequest: null, possibleMatches: [] };
  }

  /**
   * A registration whose identifiers found a child. The agency involved with it already gets its record (and the
   * new identifiers join it, as they would any registration of its); any other agency files a request, with the
   * identifiers it gave waiting on it.
   */
  private async registerKnown(
    ctx: Scope,
    membership: ActingMembership,
    childId: string,
    input: RegisterChildInput,
    identifiers: NormalisedIdentifier[],
  ): Promise<RegisterChildPayload> {
    const manager = await ctx.manager();
    if (alreadyInvolved(await loadChildAccess(ctx, childId))) {
      const added = await this.repository.addIdentifiers(manager, childId, identifiers, membership.agencyId);
      const [child] = await this.fetch(ctx, [childId]);
      if (!child) throw new Error(`child ${childId} is not reachable by an agency involved with it`);
      recordIdentifiersAdded(this.audit, ctx, child.id, child.accessRoute, added);
      this.recordChange(ctx, 'registerChild', 'Child', childId, child);
      return { child, involvementRequest: null, possibleMatches: [] };
    }
    const matched = await this.repository.schemesHeld(manager, childId, identifiers);
    const involvementRequest = await this.requests.file(ctx, membership, childId, {
      basis: input.basis,
      reason: input.reason,
      reasonField: 'input.reason',
      action: 'registerChild',
      identifiers,
      matchedOn: matched.map((scheme) => `identifier:${scheme}`),
    });
    return { child: null, involvementRequest, possibleMatches: [] };
  }

  /**
   * Corrects the child's details. Compare-and-set on `version`: a client that read an older version gets
   * CONFLICT and nothing changes, so one practitioner never silently overwrites another's correction.
   */
  async update(ctx: Scope, input: UpdateChildInput): Promise<ChildType> {
    // Identity and address are the involved agencies' to correct: a grant or a conference shares a record to read.
    await requireOnChild(ctx, 'update', input.id);
    assertBorn(input.dateOfBirth, 'input.dateOfBirth');
    for (const field of ['givenName', 'familyName', 'aliases'] as const) {
      if (input[field] === null) throw new BadUserInputError(`${field} cannot be removed`, `input.${field}`);
    }
    const changes: ChildChanges = {};
    if (input.givenName !== undefined) changes.givenName = normaliseName(input.givenName, 'input.givenName');
    if (input.familyName !== undefined) changes.familyName = normaliseName(input.familyName, 'input.familyName');
    if (input.aliases !== undefined) changes.aliases = normaliseNames(input.aliases, 'input.aliases');
    if (input.dateOfBirth !== undefined) changes.dateOfBirth = input.dateOfBirth;
    if (input.gender !== undefined) changes.gender = input.gender?.trim() || null;
    if (input.address !== undefined) changes.address = input.address?.trim() || null;
    if (!(await this.repository.updateChild(await ctx.manager(), input.id, input.version, changes))) {
      throw new ConflictError("Someone changed this child's record after you read it; reload it and try again");
    }
    const [child] = await this.fetch(ctx, [input.id]);
    if (!child) throw new NotFoundError('Child', input.id);
    this.recordChange(ctx, 'updateChild', 'Child', input.id, child);
    return child;
  }

  /** Ends the acting agency's involvement on `until` (today or later ends access from that day). */
  async endInvolvement(ctx: Scope, involvementId: string, until: string): Promise<InvolvementType> {
    const { actor, ability } = ctx.signedIn;
    const [found] = isUuid(involvementId)
      ? await this.repository.involvements(await ctx.manager(), ctx.actor, ChildAccessScope.for(ctx.actor), {
          ids: [involvementId],
        })
      : [];
    const involvement = found?.involvement;
    if (!involvement) throw new NotFoundError('Involvement', involvementId);
    if (!ability.can('end', subject('Involvement', { agencyId: involvement.agencyId } as Record<string, unknown>))) {
      throw new ForbiddenError('Only the agency itself may end its involvement with a child');
    }
    if (until < involvement.since) {
      throw new BadUserInputError(`An involvement cannot end before it began (${involvement.since})`, 'until');
    }
    // The route it is ended through, read before the end takes it away (an end dated today closes it at once).
    const access = await loadChildAccess(ctx, involvement.childId);
    const ended = await this.repository.endInvolvement(await ctx.manager(), involvementId, until, actor.userId);
    if (!ended) throw new FailedPreconditionError('This involvement has already ended');
    this.audit.record(ctx, {
      action: 'endInvolvement',
      subjectType: 'Involvement',
      subjectId: involvementId,
      childId: ended.childId,
      route: access?.route ?? null,
    });
    return ended;
  }

  /**
   * Sets and clears flags a module's own decision established (a conference: potential victim, child protection
   * plan). That module has checked the actor's right to the decision and audits it; the loader forgets the child
   * so the rest of the request reads the new flags.
   */
  async changeFlags(ctx: Scope, childId: string, flags: { add: ChildFlag[]; remove: ChildFlag[] }): Promise<void> {
    if (flags.add.length === 0 && flags.remove.length === 0) return;
    await this.repository.changeFlags(await ctx.manager(), childId, flags.add, flags.remove);
    this.byId(ctx).clear(childId);
  }

  /** The identifiers of a child in the schemes the viewer's agency kind sees, and OTHER ones it recorded. */
  identifiersOf(ctx: Scope, childId: string): Promise<ChildIdentifierType[]> {
    return this.identifierLoader(ctx).load(childId);
  }

  private identifierLoader(ctx: Scope) {
    return ctx.loaders.get(IDENTIFIERS, (ids) => this.identifiers(ctx, ids));
  }

  /** A child's involvements, past and present, that the viewer may learn of. */
  involvementsOf(ctx: Scope, childId: string): Promise<InvolvementType[]> {
    return ctx.loaders
      .get(INVOLVEMENTS, async (childIds) => {
        const ids = childIds.filter(isUuid);
        const scope = await ChildAccessScope.forRequest(ctx, ids);
        const rows = await this.repository.involvements(await ctx.manager(), ctx.actor, scope, { childIds: ids });
        rows.forEach(({ agency }) => this.agencies.prime(ctx, agency));
        return childIds.map((id) => rows.filter((row) => row.involvement.childId === id).map((row) => row.involvement));
      })
      .load(childId);
  }

  private byId(ctx: Scope) {
    return ctx.loaders.get(CHILD_BY_ID, (ids) => this.fetch(ctx, ids));
  }

  /** Children by id as the viewer sees them, in the order asked; null for each one the viewer does not reach. */
  private async fetch(ctx: Scope, ids: readonly string[]): Promise<Array<ChildType | null>> {
    const rows = await this.repository.byIds(await ctx.manager(), ctx.actor, ctx.signedIn.ability, ids.filter(isUuid));
    primeChildAccess(ctx, rows.map(accessOf));
    const identifiers = this.identifierLoader(ctx);
    // The newest read wins: a mutation fetches the child again after changing its identifiers.
    rows.forEach((row) => identifiers.clear(row.id).prime(row.id, row.identifiers));
    const byId = new Map(rows.map((row) => [row.id, toChild(row, ctx.signedIn.ability)]));
    rows.forEach((row) => this.audit.recordRead(ctx, row.id, row.route));
    return ids.map((id) => byId.get(id) ?? null);
  }

  private async identifiers(ctx: Scope, childIds: readonly string[]): Promise<ChildIdentifierType[][]> {
    const ids = childIds.filter(isUuid);
    const scope = await ChildAccessScope.forRequest(ctx, ids);
    const rows = await this.repository.identifiers(await ctx.manager(), scope, ctx.signedIn.ability, ids);
    return childIds.map((id) =>
      rows.filter((row) => row.childId === id).map(({ scheme, value }) => ({ scheme, value })),
    );
  }

  /** A change made under break-glass is flagged for review, as its reads are (DESIGN §4). */
  private recordChange(ctx: Scope, action: string, subjectType: string, id: string, child: ChildType): void {
    this.audit.record(ctx, {
      action,
      subjectType,
      subjectId: id,
      childId: child.id,
      route: child.accessRoute,
      breakGlass: viaBreakGlass(child.accessRoute),
    });
  }
}
