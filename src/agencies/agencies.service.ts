import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { In } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service';
import { ConflictError } from '../graphql/errors';
import type { RequestContext } from '../graphql/request-context';
import { AgencyKind } from './agencies.enums';
import type { CreateAgencyInput } from './agencies.inputs';
import { AgencyEntity } from './agency.entity';
import { isUniqueViolation } from '../database/postgres';

/** The statutory NRM first responders; other agencies (some charities) are flagged explicitly. */
const FIRST_RESPONDER_KINDS = new Set([AgencyKind.POLICE, AgencyKind.CHILDRENS_SOCIAL_CARE]);

@Injectable()
export class AgenciesService {
  constructor(private readonly audit: AuditLog) {}

  async create(ctx: RequestContext, input: CreateAgencyInput): Promise<AgencyEntity> {
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
  async list(ctx: RequestContext): Promise<AgencyEntity[]> {
    const manager = await ctx.manager();
    return manager.find(AgencyEntity, { order: { name: 'ASC', id: 'ASC' } });
  }

  /** An agency by id, batched across the whole response (Membership.agency, Involvement.agency, ...). */
  load(ctx: RequestContext, id: string): Promise<AgencyEntity> {
    return ctx
      .loader('agency.byId', () => new DataLoader<string, AgencyEntity>((ids) => this.byIds(ctx, ids)))
      .load(id);
  }

  private async byIds(ctx: RequestContext, ids: readonly string[]): Promise<Array<AgencyEntity | Error>> {
    const manager = await ctx.manager();
    const rows = await manager.findBy(AgencyEntity, { id: In([...ids]) });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? new Error(`agency ${id} missing`));
  }
}
