import { LocalGovCodeScalar } from '@nimo/kit';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The directory's jurisdiction, referenced by key; the training subgraph adds its figures to it. */
@Directive('@key(fields: "code")')
@ObjectType({ description: 'A local government of Japan (owned by the directory); training adds its training figures.' })
export class Jurisdiction {
  @Field(() => LocalGovCodeScalar, { description: '6-digit local government code (全国地方公共団体コード), the key.' })
  code!: string;
}

/** The directory's organisation, referenced by key; the training subgraph adds its staff and completions. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An organisation (owned by the directory); training adds its staff and their completions.' })
export class Organization {
  @Field(() => ID, { description: 'Stable id (a UUID).' })
  id!: string;
}
