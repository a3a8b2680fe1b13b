import { LocalGovCodeScalar } from '@nimo/kit';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The directory's Jurisdiction, by key; this subgraph adds its consultation figures. */
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A local government (see the directory); the consultation subgraph adds its consultation figures.' })
export class Jurisdiction {
  @Field(() => LocalGovCodeScalar, { description: '6-digit local government code, the key.' })
  code!: string;
}

/** The directory's Organization, by key; this subgraph adds the referrals it receives. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An organisation (see the directory); the consultation subgraph adds the referrals it receives.' })
export class Organization {
  @Field(() => ID, { description: 'The organisation id (a UUID), the key.' })
  id!: string;
}

export const jurisdictionRef = (code: string): Jurisdiction => Object.assign(new Jurisdiction(), { code });
export const organizationRef = (id: string): Organization => Object.assign(new Organization(), { id });
