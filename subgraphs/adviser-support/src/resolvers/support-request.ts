import {
  connectionTypes,
  DeprecatedVersionArg,
  ExpectedVersionArg,
  expectedVersionOf,
  IdempotencyKeyArg,
  LocalGovCodeScalar,
  PageArgs,
  requireUuid,
} from '@nimo/kit';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, InputType, Int, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Adviser } from '../entities/adviser';
import { Jurisdiction } from '../entities/external';
import { ProgramItem } from '../entities/program';
import { SupportRequest } from '../entities/support-request';
import { SupportMode, SupportRequestStatus } from '../enums';
import { assignSupportRequest, fileSupportRequest, listSupportRequests, transitionSupportRequest } from '../support-requests';
import { itemsOf } from './items';

export const { Connection: SupportRequestConnection } = connectionTypes(SupportRequest, 'SupportRequest', 'support request');

@InputType({ description: 'A new support request.' })
export class SupportRequestInput {
  @Field(() => LocalGovCodeScalar, { description: 'The requesting jurisdiction; it must take part in the construction support program in `fiscalYear`.' })
  jurisdictionCode!: string;

  @Field(() => Int, { description: 'The fiscal year, e.g. 2024.' })
  fiscalYear!: number;

  @Field(() => SupportMode, { description: 'How the jurisdiction wants to be supported.' })
  mode!: SupportMode;

  @Field(() => Int, { description: 'The topic: the construction promotion program item (1–14) it is about.' })
  topicItem!: number;

  @Field(() => String, { description: 'Short subject, 1 to 200 characters.' })
  subject!: string;

  @Field(() => String, { description: 'What is asked, 1 to 4,000 characters. No personal data of residents.' })
  detail!: string;
}

@InputType({ description: 'Filters for `supportRequests`; all given filters apply together.' })
export class SupportRequestFilter {
  @Field(() => SupportRequestStatus, { nullable: true, description: 'Only requests in this status.' })
  status?: SupportRequestStatus | null;

  @Field(() => LocalGovCodeScalar, { nullable: true, description: 'Only requests of this jurisdiction.' })
  jurisdictionCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only requests assigned to this adviser.' })
  adviserId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only requests of this fiscal year.' })
  fiscalYear?: number | null;
}

@Resolver(() => SupportRequest)
export class SupportRequestResolver {
  @Query(() => SupportRequest, { nullable: true, description: 'A support request by id; null when unknown or outside what the principal may see.' })
  supportRequest(@Arg('id', () => ID, { description: 'The request id (a UUID).' }) id: string, @Ctx() ctx: Context): Promise<SupportRequest | null> {
    return ctx.loaders.supportRequest.load(requireUuid('id', id));
  }

  @Query(() => SupportRequestConnection, {
    description:
      "Support requests the principal may see, in filing order: all for the nation and the adviser organisation, a prefecture's area, " +
      "a municipality's own; empty for everyone else.",
  })
  supportRequests(
    @Arg('filter', () => SupportRequestFilter, { nullable: true, description: 'Filters; all given filters apply together.' })
    filter: SupportRequestFilter | null,
    @Args(() => PageArgs) page: PageArgs,
    @Ctx() ctx: Context,
  ) {
    return listSupportRequests(ctx, filter, page);
  }

  @Mutation(() => SupportRequest, {
    description:
      'Files a support request with the adviser organisation (status REQUESTED). The jurisdiction itself (a prefecture, designated ' +
      'city or special ward acting for itself); it must take part in the construction support program that fiscal year, else BAD_USER_INPUT.',
  })
  fileSupportRequest(
    @Arg('input', () => SupportRequestInput, { description: 'The request.' }) input: SupportRequestInput,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportRequest> {
    return fileSupportRequest(ctx, info, input, idempotencyKey);
  }

  @Mutation(() => SupportRequest, {
    description:
      'Assigns (or reassigns) an adviser: REQUESTED → ACCEPTED; in ACCEPTED, IN_PROGRESS or ON_HOLD the status stays. The adviser ' +
      'organisation only. CONFLICT on a stale version; BAD_USER_INPUT for a final request or an unknown adviser.',
  })
  assignSupportRequest(
    @Arg('id', () => ID, { description: 'The request id.' }) id: string,
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @Arg('adviserId', () => ID, { description: 'The adviser to assign.' }) adviserId: string,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportRequest> {
    return assignSupportRequest(ctx, info, { id, expectedVersion: expectedVersionOf(expectedVersion, version), adviserId, idempotencyKey });
  }

  @Mutation(() => SupportRequest, {
    description:
      'Moves a support request along its lifecycle (see SupportRequestStatus). The adviser organisation makes every move but ACCEPTED ' +
      '(use `assignSupportRequest`); the requesting jurisdiction may only cancel. COMPLETED needs an `outcome`, REJECTED a `note`. ' +
      'Illegal moves are BAD_USER_INPUT; a stale version is CONFLICT.',
  })
  transitionSupportRequest(
    @Arg('id', () => ID, { description: 'The request id.' }) id: string,
    @ExpectedVersionArg({ withDeprecatedAlias: true }) expectedVersion: number | null,
    @Arg('to', () => SupportRequestStatus, { description: 'The status to move to.' }) to: SupportRequestStatus,
    @Arg('note', () => String, { nullable: true, description: 'Why (required for REJECTED; kept for ON_HOLD and CANCELLED), up to 2,000 characters.' })
    note: string | null,
    @Arg('outcome', () => String, { nullable: true, description: 'The outcome (required for COMPLETED), up to 4,000 characters.' }) outcome: string | null,
    @IdempotencyKeyArg() idempotencyKey: string | null,
    @DeprecatedVersionArg() version: number | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<SupportRequest> {
    return transitionSupportRequest(ctx, info, {
      id,
      expectedVersion: expectedVersionOf(expectedVersion, version),
      to,
      note: note ?? null,
      outcome: outcome ?? null,
      idempotencyKey,
    });
  }

  @FieldResolver(() => Jurisdiction, { description: 'The requesting jurisdiction.' })
  jurisdiction(@Root() r: SupportRequest): Jurisdiction {
    return { code: r.jurisdictionCode };
  }

  @FieldResolver(() => ProgramItem, { description: 'The topic: the construction promotion program item the request is about.' })
  topic(@Root() r: SupportRequest): ProgramItem | undefined {
    return itemsOf([r.topicItem])[0];
  }

  @FieldResolver(() => Adviser, { nullable: true, description: 'The adviser assigned; null before assignment.' })
  adviser(@Root() r: SupportRequest, @Ctx() ctx: Context): Promise<Adviser | null> | null {
    return r.adviserId ? ctx.loaders.adviser.load(r.adviserId) : null;
  }
}
