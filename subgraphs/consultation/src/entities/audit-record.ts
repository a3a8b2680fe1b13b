import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

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

  @Field(() => String, { description: "The principal's subject (user or client id from its token)." })
  @Column({ type: 'text', name: 'principal_subject' })
  principalSubject!: string;

  @Field(() => ID, { nullable: true, description: 'The organisation the principal acted for, if any.' })
  @Column({ type: 'uuid', name: 'organization_id', nullable: true })
  organizationId!: string | null;

  @Field(() => String, { nullable: true, description: "The client's GraphQL operation name, when it gave one." })
  @Column({ type: 'text', nullable: true })
  operation!: string | null;

  @Field(() => String, {
    description: 'What was done: read, openCase, recordContact, referCase, respondToReferral:<state>, cancelReferral, closeCase, reopenCase.',
  })
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
