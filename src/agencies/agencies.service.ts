import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service';
import { ConflictError } from '../common/errors';
import type { Scope } from '../access/scope';
import { AgencyKind } from './agencies.enums';
import type { CreateAgencyInput } from './agencies.inputs';
import { AgencyEntity } from './agency.entity';
import { isUniqueViolation } from '../database/postgres';

const AGENCY_BY_ID = new LoaderKey<string, AgencyEntity>('agency by id');

/** The statutory NRM first responders; other agencies (some charities) are flagged explicitly. */
const FIRST_RESPONDER_KINDS = new Set([AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE]);

@Injectable()
export class AgenciesService {
  constructor(private readonly audit: AuditLog) {}

  async create(ctx: Scope, input: CreateAgencyInput): Promise<AgencyEntity> {
    const manager = await ctx.manager();
    const agency = manager.create(AgencyEntity, {
      name: input.name,
      kind: input.kind,
      localAuthority: input.localAuthority ?? null,
      firstResponder: input.firstResponder ?? FIRST_RESPONDER_KINDS.has(input.kind),
    });
    try {
      const created = await manager.save(agency);
      this.audit.record(ctx, { action: 'createAgency', subjectType: 'Agency', subjectId: created.id });
      return created;
    } catch (error) {
      // The unique index on lower(name) decides, so two admins racing cannot both create one name.
      if (isUniqueViolation(error)) throw new ConflictError(`An agency called "${input.name}" already exists`);
      throw error;
    }
  }

  /** Every agency: they are named wherever records are shared, so their list is not secret. */
  async list(ctx: Scope): Promise<AgencyEntity[]> {
    const manager = await ctx.manager();
    return manager.find(AgencyEntity, { order: { name: 'ASC', id: 'ASC' } });
  }

  /** An agency by id, batched across the whole response (Membership.agency, Involvement.agency, ...). */
  load(ctx: Scope, id: string): Promise<AgencyEntity> {
    return ctx.loaders.get(AGENCY_BY_ID, (ids) => this.byIds(ctx, ids)).load(id);
  }

  private async byIds(ctx: Scope, ids: readonly string[]): Promise<Array<AgencyEntity | Error>> {
    const manager = await ctx.manager();
    const rows = await manager.findBy(AgencyEntity, { id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? new Error(`agency ${id} missing`));
  }
}
