import { EmailAddressResolver, LocalTimeResolver, URLResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DayOfWeek, ServiceCategory, ServiceKind } from '../enums';

@ObjectType({ description: 'How to reach an organisation.' })
export class Contact {
  @Field(() => String, { nullable: true, description: 'Telephone number as dialled in Japan, e.g. 03-1234-5678.' })
  @Column({ type: 'text', nullable: true, name: 'contact_phone' })
  phone!: string | null;

  @Field(() => EmailAddressResolver, { nullable: true, description: 'E-mail address.' })
  @Column({ type: 'text', nullable: true, name: 'contact_email' })
  email!: string | null;

  @Field(() => URLResolver, { nullable: true, description: 'Web site.' })
  @Column({ type: 'text', nullable: true, name: 'contact_website' })
  website!: string | null;

  @Field(() => String, { nullable: true, description: 'Postal code (郵便番号), e.g. 100-0001.' })
  @Column({ type: 'text', nullable: true, name: 'contact_postal_code' })
  postalCode!: string | null;

  @Field(() => String, { nullable: true, description: 'Street address in Japanese.' })
  @Column({ type: 'text', nullable: true, name: 'contact_address' })
  address!: string | null;
}

@ObjectType({ description: 'One line of opening hours: the days it applies to and the times, in Japan time.' })
export class OpeningHours {
  @Field(() => [DayOfWeek], { description: 'Days this line applies to.' })
  days!: DayOfWeek[];

  @Field(() => LocalTimeResolver, { description: 'Opening time (Japan time), e.g. 08:30:00.' })
  opens!: string;

  @Field(() => LocalTimeResolver, { description: 'Closing time (Japan time), e.g. 17:15:00.' })
  closes!: string;

  @Field(() => String, { nullable: true, description: 'A note, e.g. "by appointment" (予約制).' })
  note?: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'An organisation that supports residents: a consultation desk, a medical institution, a disability ' +
    'welfare or long-term-care provider, a housing or an employment support body. Located in one ' +
    'jurisdiction, it serves one or more jurisdictions and daily-life areas. Public directory data. ' +
    'Organisations with `isDemo: true` are generated demo data.',
})
@Entity('organization')
export class Organization {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Field(() => String, { description: 'Name in Japanese.' })
  @Column({ type: 'text' })
  name!: string;

  @Field(() => ServiceCategory, { description: "The category of the organisation's main service." })
  @Index()
  @Column({ type: 'text' })
  category!: ServiceCategory;

  @Field(() => [ServiceKind], { description: 'Every service it provides, main service first.' })
  @Column({ type: 'text', array: true })
  services!: ServiceKind[];

  @Index()
  @Column({ type: 'char', length: 6, name: 'jurisdiction_code' })
  jurisdictionCode!: string;

  @Index()
  @Column({ type: 'char', length: 6, name: 'prefecture_code' })
  prefectureCode!: string;

  @Field(() => Contact, { description: 'Contact data.' })
  @Column(() => Contact, { prefix: false })
  contact!: Contact;

  @Field(() => [OpeningHours], { description: 'Opening hours; empty when not published.' })
  @Column({ type: 'jsonb', name: 'opening_hours', default: () => "'[]'" })
  openingHours!: OpeningHours[];

  @Column({ type: 'text', array: true, name: 'service_area_codes', default: () => "'{}'" })
  serviceAreaCodes!: string[];

  @Column({ type: 'text', array: true, name: 'daily_life_area_ids', default: () => "'{}'" })
  dailyLifeAreaIds!: string[];

  @Field(() => Boolean, { description: 'True: generated demo data, not a real organisation.' })
  @Column({ type: 'boolean', name: 'is_demo', default: true })
  isDemo!: boolean;
}
