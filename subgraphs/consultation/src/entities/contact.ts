import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { LocalDateResolver } from 'graphql-scalars';
import { ContactChannel } from '../enums';

@ObjectType('CaseContact', { description: 'One contact with the person of a case. Owning municipality only.' })
@Entity('case_contact')
export class CaseContact {
  @Field(() => ID, { description: 'The contact id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid', name: 'case_id' })
  caseId!: string;

  @Column({ type: 'char', length: 6, name: 'municipality_code' })
  municipalityCode!: string;

  @Field(() => LocalDateResolver, { description: 'The day of the contact.' })
  @Column({ type: 'date', name: 'contacted_on' })
  contactedOn!: string;

  @Field(() => ContactChannel, { description: 'How the contact took place.' })
  @Column({ type: 'text' })
  channel!: ContactChannel;

  @Field(() => String, { description: "The staff member who made the contact (the municipality's own staff reference)." })
  @Column({ type: 'text', name: 'staff_reference' })
  staffReference!: string;

  @Column({ type: 'text', name: 'note_key_id', nullable: true })
  noteKeyId!: string | null;

  @Column({ type: 'bytea', name: 'note_ciphertext', nullable: true })
  noteCiphertext!: Buffer | null;

  @Column({ type: 'boolean', name: 'is_demo', default: false })
  isDemo!: boolean;
}
