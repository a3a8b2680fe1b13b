import { connectionTypes, LocalGovCodeScalar, PageArgs } from '@nimo/kit';
import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { auditTrail } from '../audit';
import type { Context } from '../context';
import { AuditRecord } from '../entities/audit-record';

export const { Connection: AuditRecordConnection } = connectionTypes(AuditRecord, 'AuditRecord', 'audit record');

@Resolver(() => AuditRecord)
export class AuditTrailResolver {
  @Query(() => AuditRecordConnection, {
    nullable: true,
    description:
      "The audit trail of your municipality's cases (every read and write, by anyone), oldest first. Owning municipality only; null with FORBIDDEN otherwise.",
  })
  consultationAuditTrail(
    @Arg('municipalityCode', () => LocalGovCodeScalar, { description: 'Your municipality.' }) municipalityCode: string,
    @Arg('caseId', () => ID, { nullable: true, description: 'Only records of this case.' }) caseId: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return auditTrail(ctx, municipalityCode, caseId, page);
  }
}
