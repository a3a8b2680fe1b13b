import { LocalGovCodeScalar, privateAnswer, registerLabelledEnum } from '@nimo/kit';
import { Ctx, Field, ID, ObjectType, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';

export enum ViewerRole {
  PUBLIC = 'PUBLIC',
  NATION = 'NATION',
  ADVISER = 'ADVISER',
  PREFECTURE = 'PREFECTURE',
  HEALTH_CENTRE = 'HEALTH_CENTRE',
  MHW_CENTRE = 'MHW_CENTRE',
  MUNICIPALITY = 'MUNICIPALITY',
  PROVIDER = 'PROVIDER',
  VENDOR = 'VENDOR',
}

export const ViewerRoleLabels = registerLabelledEnum(ViewerRole, {
  name: 'ViewerRole',
  description: 'The role a request acts in, from its verified credential.',
  values: {
    PUBLIC: { label: '一般（認証なし）', description: 'No credential: public directory data only.' },
    NATION: { label: '国（厚生労働省）', description: 'The nation (MHLW).' },
    ADVISER: { label: 'アドバイザー組織', description: 'The national adviser organisation.' },
    PREFECTURE: { label: '都道府県', description: 'A prefecture (or a designated city acting at that tier).' },
    HEALTH_CENTRE: { label: '保健所', description: 'A public health centre.' },
    MHW_CENTRE: { label: '精神保健福祉センター', description: 'A mental health and welfare centre.' },
    MUNICIPALITY: { label: '市区町村', description: 'A municipality.' },
    PROVIDER: { label: 'サービス提供事業者', description: 'A service provider organisation.' },
    VENDOR: { label: 'ベンダー', description: 'A third-party vendor building against the published schema.' },
  },
});

@ObjectType({ description: 'Who a request acts for, as the gateway verified it.' })
export class Viewer {
  @Field(() => ViewerRole, { description: 'The role.' })
  role!: ViewerRole;

  @Field(() => [LocalGovCodeScalar], { description: 'The jurisdictions it acts for; empty for the nation, the adviser organisation, vendors and the public.' })
  jurisdictionCodes!: string[];

  @Field(() => ID, { nullable: true, description: 'The organisation it acts for, if any.' })
  organizationId!: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who this request acts for: its role, jurisdictions and organisation. Dashboards use it to choose their view.' })
  viewer(@Ctx() ctx: Context): Viewer {
    // The one answer of the directory that depends on the principal: never shared in a cache.
    privateAnswer(ctx);
    const { role, jurisdictionCodes, organizationId } = ctx.principal;
    return { role: role.toUpperCase() as ViewerRole, jurisdictionCodes: [...jurisdictionCodes], organizationId };
  }
}
