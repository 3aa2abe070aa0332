import { LoaderKey } from '../common/loaders';
import { Injectable } from '@nestjs/common';
import { firstResponderByDefault } from '../access/people.decisions';
import { AuditLog } from '../audit/log/audit-log.service';
import { ConflictError } from '../common/errors';
import type { Scope } from '../access/scope';
import type { CreateAgencyInput } from './agencies.inputs';
import { AgenciesRepository } from './agencies.repository';
import { AgencyEntity } from './agency.entity';
import { isUniqueViolation } from '../database/postgres';

const AGENCY_BY_ID = new LoaderKey<string, AgencyEntity>('agency by id');

@Injectable()
export class AgenciesService {
  constructor(
    private readonly audit: AuditLog,
    private readonly repository: AgenciesRepository,
  ) {}

  async create(ctx: Scope, input: CreateAgencyInput): Promise<AgencyEntity> {
    const manager = await ctx.manager();
    try {
      const created = await this.repository.insertAgency(manager, {
        name: input.name,
        kind: input.kind,
        localAuthority: input.localAuthority ?? null,
        firstResponder: input.firstResponder ?? firstResponderByDefault(input.kind),
      });
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
    return this.repository.agencies(await ctx.manager());
  }

  /** An agency by id, batched across the whole response (Membership.agency, Involvement.agency, ...). */
  load(ctx: Scope, id: string): Promise<AgencyEntity> {
    return ctx.loaders.get(AGENCY_BY_ID, (ids) => this.byIds(ctx, ids)).load(id);
  }

  /** An agency another query has just read (joined to what it lists), so that `load` need not read it again. */
  prime(ctx: Scope, agency: AgencyEntity): void {
    ctx.loaders.get(AGENCY_BY_ID, (ids) => this.byIds(ctx, ids)).prime(agency.id, agency);
  }

  private async byIds(ctx: Scope, ids: readonly string[]): Promise<Array<AgencyEntity | Error>> {
    const rows = await this.repository.agenciesByIds(await ctx.manager(), ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? new Error(`agency ${id} missing`));
  }
}
