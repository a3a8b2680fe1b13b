import { Directive, Field, FieldResolver, Int, ObjectType, registerEnumType, Resolver, type ClassType } from 'type-graphql';
import { badUserInput } from './errors';
import { fiscalYearDates, requireFiscalYear } from './fiscal-year';

/**
 * Japanese words for front ends, served by the API so that every front end shows the same ones:
 * the label of every enum value (declared beside the enum, with `registerLabelledEnum`) and the
 * Japanese era name of every fiscal year (令和6年度 for FY2024).
 *
 * In the supergraph, `Query.labels` (directory) returns the one `Labels` entity; each subgraph adds
 * one field per enum it owns (`Labels.serviceKind`, `Labels.trainingSessionState`, ...), so a front
 * end asks for every word it needs in one request and the gateway routes each field to its owner.
 */

/** One enum value's words: the Japanese label to show, and the English description of the schema. */
export interface LabelledValue {
  readonly label: string;
  readonly description: string;
}

/** An enum with its Japanese labels, as registered (see `registerLabelledEnum`). */
export interface LabelledEnum {
  /** The GraphQL enum name, e.g. `ServiceKind`. */
  readonly name: string;
  readonly description: string;
  readonly values: readonly { value: string; label: string; description: string }[];
}

/**
 * Registers a GraphQL enum (type-graphql `registerEnumType`) whose every value has a Japanese label.
 * The schema shows each value as "ラベル: English description"; `Labels.<enum>` serves the label.
 * TypeScript refuses a value without a label.
 */
export function registerLabelledEnum<T extends Record<string, string>>(
  enumObject: T,
  config: { name: string; description: string; values: { [K in keyof T]: LabelledValue } },
): LabelledEnum {
  const values = Object.keys(enumObject).map((key) => {
    const v = config.values[key as keyof T];
    if (!v.label.trim()) throw new Error(`Enum ${config.name}: value ${key} has no Japanese label.`);
    return { value: key, label: v.label, description: v.description };
  });
  registerEnumType(enumObject, {
    name: config.name,
    description: `${config.description} Japanese labels: \`Labels.${fieldNameOf(config.name)}\`.`,
    valuesConfig: Object.fromEntries(values.map((v) => [v.value, { description: `${v.label}: ${v.description}` }])) as Partial<
      Record<keyof T, { description: string }>
    >,
  });
  return { name: config.name, description: config.description, values };
}

/** `ServiceKind` → `serviceKind`: the field of `Labels` that serves an enum's labels. */
export function fieldNameOf(enumName: string): string {
  return enumName.charAt(0).toLowerCase() + enumName.slice(1);
}

// Shared by every subgraph (the same shape everywhere).
@Directive('@shareable')
@ObjectType({ description: 'The Japanese label of one enum value, to show in a front end.' })
export class EnumValueLabel {
  @Field(() => String, { description: 'The enum value as the API spells it, e.g. "PUBLIC_HEALTH_CENTRE".' })
  value!: string;

  @Field(() => String, { description: 'The Japanese label to show, e.g. "保健所".' })
  label!: string;

  @Field(() => String, { description: "What the value means, in English (the schema's description)." })
  description!: string;
}

// Shared by every subgraph (the same shape everywhere).
@Directive('@shareable')
@ObjectType({ description: 'A fiscal year (年度, April to March) with its Japanese name in the era calendar.' })
export class FiscalYearLabel {
  @Field(() => Int, { description: 'The fiscal year as the API uses it: 2024 for April 2024 to March 2025.' })
  fiscalYear!: number;

  @Field(() => String, { description: 'The Japanese name to show: "令和6年度" for 2024, "令和元年度" for 2019, "平成30年度" for 2018.' })
  label!: string;

  @Field(() => String, { description: 'The era (元号): "令和" or "平成".' })
  era!: string;

  @Field(() => Int, { description: 'The year of the era (1 for 元年).' })
  eraYear!: number;

  @Field(() => String, { description: 'First day (YYYY-MM-DD).' })
  startsOn!: string;

  @Field(() => String, { description: 'Last day (YYYY-MM-DD).' })
  endsOn!: string;
}

/**
 * The Japanese name of a fiscal year. A fiscal year takes the era of its first day, except FY2019:
 * 令和 began on 1 May 2019 and the government names that fiscal year 令和元年度.
 */
export function fiscalYearLabel(fiscalYear: number): FiscalYearLabel {
  const fy = requireFiscalYear(fiscalYear);
  const [era, eraYear] = fy >= 2019 ? ['令和', fy - 2018] : ['平成', fy - 1988];
  const dates = fiscalYearDates(fy);
  return { fiscalYear, label: `${era}${eraYear === 1 ? '元' : eraYear}年度`, era, eraYear, startsOn: dates.from, endsOn: dates.to };
}

/** Fiscal years `from` … `to` with their names; at most 101 (BAD_USER_INPUT otherwise). */
export function fiscalYearLabels(from: number, to: number): FiscalYearLabel[] {
  requireFiscalYear(from, 'from');
  requireFiscalYear(to, 'to');
  if (to < from) throw badUserInput('`to` must not be before `from`.', { argument: 'to' });
  return Array.from({ length: to - from + 1 }, (_, i) => fiscalYearLabel(from + i));
}

/** The `Labels` entity's key: one catalogue, in Japanese. */
export const LABELS_LOCALE = 'ja';

/**
 * A subgraph's `Labels` entity type and the resolver of its label fields (one per enum it owns), and
 * the entity's reference resolver. Each subgraph makes its own (type-graphql attaches field resolvers
 * to a class; the supergraph merges the subgraphs' `Labels` by key).
 */
export function labelsOf(enums: readonly LabelledEnum[]): {
  // type-graphql's own type for a type class.
  type: ClassType<{ locale: string }>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolver: Function;
  referenceResolvers: { Labels: { __resolveReference: (reference: { locale: string }) => { locale: string } } };
} {
  @Directive('@key(fields: "locale")')
  @ObjectType('Labels', {
    description:
      'Japanese words for front ends, the same for every one: the label of every enum value (one field per enum, named ' +
      'after it: `serviceKind` for `ServiceKind`) and the names of fiscal years (`fiscalYear`, `fiscalYears`). Public.',
  })
  class Labels {
    @Field(() => String, { description: 'The language of the labels: "ja".' })
    locale!: string;
  }

  @Resolver(() => Labels)
  class LabelsResolver {}

  for (const e of enums) {
    const field = fieldNameOf(e.name);
    const values = e.values.map((v) => ({ ...v }));
    Object.defineProperty(LabelsResolver.prototype, field, { value: () => values, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(LabelsResolver.prototype, field)!;
    FieldResolver(() => [EnumValueLabel], { description: `Japanese labels of \`${e.name}\`, in the enum's order: ${e.description}` })(
      LabelsResolver.prototype,
      field,
      descriptor,
    );
  }
  return {
    type: Labels,
    resolver: LabelsResolver,
    referenceResolvers: { Labels: { __resolveReference: (reference) => ({ locale: reference.locale }) } },
  };
}
