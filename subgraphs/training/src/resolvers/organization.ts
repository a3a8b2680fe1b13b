import { forbidden, Guard } from '@nimo/kit';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Enrolment } from '../entities/enrolment';
import { Organization } from '../entities/external';
import { StaffMember } from '../entities/staff-member';
import { mayOrganise, ownsStaff } from '../policy';

/** Organisation fields: the own organisation sees all its staff; an organiser sees those who enrolled in its sessions; others are FORBIDDEN. */
const mayListStaff = (p: Parameters<typeof mayOrganise>[0], o: Organization) => ownsStaff(p, { organizationId: o.id }) || mayOrganise(p);

/**
 * The own organisation gets its whole list; an organiser gets the rows the SQL scope leaves (its
 * enrollees), and FORBIDDEN when none of the organisation's staff enrolled in its sessions: then it
 * is not authorised for this organisation at all.
 */
function authorisedList<T>(ctx: Context, o: Organization, rows: T[], what: string): T[] {
  if (!ownsStaff(ctx.principal, { organizationId: o.id }) && rows.length === 0) throw forbidden(`You may not see ${what}.`);
  return rows;
}

@Resolver(() => Organization)
export class OrganizationResolver {
  @FieldResolver(() => [StaffMember], {
    nullable: true,
    description:
      "The organisation's staff (personal data): all of them for the organisation itself, those enrolled in its sessions " +
      'for an organiser; null with FORBIDDEN for everyone else.',
  })
  @Guard<Organization>(mayListStaff, 'the staff of this organisation')
  async staff(@Root() o: Organization, @Ctx() ctx: Context): Promise<StaffMember[]> {
    return authorisedList(ctx, o, await ctx.loaders.staffOfOrganization.load(o.id), 'the staff of this organisation');
  }

  @FieldResolver(() => [Enrolment], {
    nullable: true,
    description:
      "Completed trainings of the organisation's staff (with certificate numbers): all for the organisation itself, " +
      'those of its sessions for an organiser; null with FORBIDDEN for everyone else.',
  })
  @Guard<Organization>(mayListStaff, "the completions of this organisation's staff")
  async completions(@Root() o: Organization, @Ctx() ctx: Context): Promise<Enrolment[]> {
    const completions = (await ctx.loaders.completionsOfOrganization.load(o.id)).map((r) => r.enrolment);
    // An organiser is authorised for this organisation once one of its staff enrolled in the organiser's sessions.
    if (!ownsStaff(ctx.principal, { organizationId: o.id }) && (await ctx.loaders.staffOfOrganization.load(o.id)).length === 0) {
      throw forbidden("You may not see the completions of this organisation's staff.");
    }
    return completions;
  }
}
