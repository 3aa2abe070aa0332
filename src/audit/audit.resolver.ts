import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { CheckPolicy } from '../../libs/authz/src';
import { PageSize } from '../graphql/types/pagination';
import type { Scope } from '../access/scope';
import { AuditService, DEFAULT_AUDIT_PAGE } from './audit.service';
import { AuditEventConnection, AuditVerification } from './audit.types';

@Resolver()
export class AuditResolver {
  constructor(private readonly audit: AuditService) {}

  @Query(() => AuditEventConnection, {
    description: "What one of your agency's people accessed while acting for your agency, newest first.",
  })
  @CheckPolicy('read', 'StaffAccessLog')
  staffAccessLog(
    @Context() ctx: Scope,
    @Args('userId', { type: () => ID }) userId: string,
    @PageSize(DEFAULT_AUDIT_PAGE) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AuditEventConnection> {
    return this.audit.staffAccessLog(ctx, userId, first, after);
  }

  @Query(() => AuditEventConnection, {
    description: "Who read or changed a child's record, and through which route, newest first.",
  })
  @CheckPolicy('read', 'AuditTrail')
  auditTrail(
    @Context() ctx: Scope,
    @Args('childId', { type: () => ID }) childId: string,
    @PageSize(DEFAULT_AUDIT_PAGE) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string,
  ): Promise<AuditEventConnection> {
    return this.audit.auditTrail(ctx, childId, first, after);
  }

  @Query(() => AuditVerification, { description: 'Checks that no audit event was altered, removed or reordered.' })
  @CheckPolicy('verify', 'AuditChain')
  verifyAuditChain(@Context() ctx: Scope): Promise<AuditVerification> {
    return this.audit.verifyChain(ctx);
  }
}
