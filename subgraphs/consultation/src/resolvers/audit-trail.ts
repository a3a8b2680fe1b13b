import { connectionTypes, forbidden, isNothing, LocalGovCodeScalar, PageArgs, paginate, requireUuid, scopeCovers, scopeWhere } from '@nimo/kit';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Args, Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AUDITED_TYPE } from '../audit';
import type { Context } from '../context';
import { policy } from '../policy';

@ObjectType({ description: 'One record of the audit trail: who did what to which case, when, and the outcome. Records are append-only and hash-chained.' })
@Entity('audit_log')
export class AuditRecord {
  @Field(() => ID, { description: 'Position in the log (ascending).' })
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Field(() => DateTimeResolver, { description: 'When (database clock).' })
  @Column({ type: 'timestamptz' })
  at!: Date;

  @Field(() => String, { description: 'Role of the principal (e.g. municipality, mhw_centre).' })
  @Column({ type: 'text', name: 'principal_role' })
  principalRole!: string;

  @Field(() => String, { description: 'The principal\'s subject (user or client id from its token).' })
  @Column({ type: 'text', name: 'principal_subject' })
  principalSubject!: string;

  @Field(() => ID, { nullable: true, description: 'The organisation the principal acted for, if any.' })
  @Column({ type: 'uuid', name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => String, { nullable: true, description: 'The client\'s GraphQL operation name, when it gave one.' })
  @Column({ type: 'text', nullable: true })
  operation!: string | null;

  @Field(() => String, { description: 'What was done: read, openCase, recordContact, referCase, respondToReferral:<state>, cancelReferral, closeCase, reopenCase.' })
  @Column({ type: 'text' })
  action!: string;

  @Field(() => ID, { description: 'The case concerned.' })
  @Column({ type: 'text', name: 'entity_key' })
  entityKey!: string;

  @Column({ type: 'text', name: 'entity_type' })
  entityType!: string;

  @Field(() => String, { description: 'allowed or denied.' })
  @Column({ type: 'text' })
  outcome!: string;
}

export const { Connection: AuditRecordConnection } = connectionTypes(AuditRecord, 'AuditRecord', 'audit record');

@Resolver(() => AuditRecord)
export class AuditTrailResolver {
  @Query(() => AuditRecordConnection, {
    nullable: true,
    description: 'The audit trail of your municipality\'s cases (every read and write, by anyone), oldest first. Owning municipality only; null with FORBIDDEN otherwise.',
  })
  consultationAuditTrail(
    @Arg('municipalityCode', () => LocalGovCodeScalar, { description: 'Your municipality.' }) municipalityCode: string,
    @Arg('caseId', () => ID, { nullable: true, description: 'Only records of this case.' }) caseId: string | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const scope = policy.auditTrail(ctx.principal);
    if (isNothing(scope) || !scopeCovers(scope, { jurisdictionCode: municipalityCode })) {
      throw forbidden(`You may not read the audit trail of ${municipalityCode}.`);
    }
    const owned = scopeWhere(scope, { jurisdiction: 'c.municipality_code' });
    const query = ctx.db
      .getRepository(AuditRecord)
      .createQueryBuilder('a')
      .innerJoin('consultation_case', 'c', 'a.entity_key = c.id::text')
      .where('a.entity_type = :type', { type: AUDITED_TYPE })
      .andWhere('c.municipality_code = :m', { m: municipalityCode })
      .andWhere(owned.sql, owned.params);
    if (caseId) query.andWhere('a.entity_key = :caseId', { caseId: requireUuid('caseId', caseId) });
    return paginate(query, [{ sql: 'a.seq', value: (a) => Number(a.seq) }], page);
  }
}
