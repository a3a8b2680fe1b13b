import { Guard } from '@nimo/kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Enrolment } from '../entities/enrolment';
import { Organization } from '../entities/external';
import { StaffMember } from '../entities/staff-member';
import { mayOrganise, ownsStaff } from '../policy';

/** Organisation fields: the own organisation sees all its staff; an organiser sees those who enrolled in its sessions; others are FORBIDDEN. */
const mayListStaff = (p: Parameters<typeof mayOrganise>[0], o: Organization) => ownsStaff(p, { organizationId: o.id }) || mayOrganise(p);

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => [StaffMember], {
    nullable: true,
    description:
      'The organisation\'s staff (personal data): all of them for the organisation itself, those enrolled in its sessions ' +
      'for an organiser; null with FORBIDDEN for everyone else.',
  })
  @Guard<Organization>(mayListStaff, 'the staff of this organisation')
  staff(@Root() o: Organization, @Ctx() ctx: Context): Promise<StaffMember[]> {
    return ctx.loaders.staffOfOrganization.load(o.id);
  }

  @FieldResolver(() => [Enrolment], {
    nullable: true,
    description:
      'Completed trainings of the organisation\'s staff (with certificate numbers): all for the organisation itself, ' +
      'those of its sessions for an organiser; null with FORBIDDEN for everyone else.',
  })
  @Guard<Organization>(mayListStaff, 'the completions of this organisation\'s staff')
  async completions(@Root() o: Organization, @Ctx() ctx: Context): Promise<Enrolment[]> {
    return (await ctx.loaders.completionsOfOrganization.load(o.id)).map((r) => r.enrolment);
  }
}
