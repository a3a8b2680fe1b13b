import { isPrefectureCode, JurisdictionKind, nationalCodeList } from '@nimo/kit';
import type { IndicatorValue } from './entities/evaluation';
import type { ForumCoverageCounts } from './entities/external';
import type { ProgramParticipation } from './entities/program';
import { Comparator, EvaluationTier, IndicatorCode, IndicatorStatus, Program } from './enums';
import { mayRun } from './program';

/**
 * The evaluation of construction status (構築状況の評価): indicator definitions with their targets and
 * sources, and the computation of a value and a status per indicator for a municipality, a prefecture
 * (rolled up over its area) or the nation (rolled up over the prefectures).
 */

export type Derivation = 'DIRECTORY' | 'TRAINING' | 'ADVISER_SUPPORT' | 'REPORTED';

export interface Target {
  readonly fromFiscalYear: number | null;
  readonly toFiscalYear: number | null;
  readonly value: number;
  readonly source: string;
}

export interface IndicatorDefinition {
  readonly code: IndicatorCode;
  readonly nameJa: string;
  readonly name: string;
  readonly unit: string;
  readonly comparator: Comparator;
  readonly targets: readonly Target[];
  /** Where the value comes from. */
  readonly source: string;
  readonly derivation: Derivation;
  readonly rollUp: string;
  /** Published national actuals (real figures), where the hub's sources give one. */
  readonly nationalActuals: readonly { fiscalYear: number; value: number; source: string }[];
}

const PLAN_6 =
  'National disability welfare plan, basic guidelines, 6th period (FY2021–23), outcome targets for mental health (docs/domain.md, checked against public sources)';
const PLAN_7 = 'National disability welfare plan, basic guidelines, 7th period (FY2024–26) (docs/domain.md, checked against public sources)';
const HUB_TARGET =
  'Hub working target: the seed document calls for forums of health, medical and welfare stakeholders per municipality, region and prefecture; no national numeric target is given, so every one counts';
/** When a forum counts for a fiscal year in the forum indicators (FORUM_PREFECTURE, FORUM_REGION, FORUM_MUNICIPALITY). */
const FORUM_RULE =
  "a forum counts for a fiscal year when it was set up by the year's end (31 March; Forum.establishedOn) and its records show at least " +
  'one meeting held in the year (1 April–31 March; ForumMeeting.heldOn). A forum that exists but did not meet, or met only after the ' +
  "year ended, does not count: the plan's activity indicators for forums are the meetings held (docs/domain.md)";
const DEMO_SOURCE = 'demo data (generated, deterministic); real values come from MHLW 精神保健福祉資料 (NDB) per prefecture';
const SURVEY_630 = `reported per prefecture as of 30 June of the fiscal year, the reference day of the 630 survey (精神保健福祉資料; shown by ReMHRAD); ${DEMO_SOURCE}`;

export const INDICATORS: readonly IndicatorDefinition[] = [
  {
    code: IndicatorCode.FORUM_PREFECTURE,
    nameJa: '都道府県ごとの協議の場の設置',
    name: 'Prefecture-tier consultation forum set up and meeting',
    unit: '%',
    comparator: Comparator.AT_LEAST,
    targets: [{ fromFiscalYear: null, toFiscalYear: null, value: 100, source: HUB_TARGET }],
    source: `directory subgraph, Jurisdiction.forumCoverage.history (ownForumMet), through federation with @requires: ${FORUM_RULE}`,
    derivation: 'DIRECTORY',
    rollUp: 'Prefecture: 100 when its forum counts for the year, else 0. Nation: share of the 47 prefectures. Not defined for a municipality.',
    nationalActuals: [],
  },
  {
    code: IndicatorCode.FORUM_REGION,
    nameJa: '障害保健福祉圏域ごとの協議の場の設置',
    name: 'Regions with a consultation forum that met',
    unit: '%',
    comparator: Comparator.AT_LEAST,
    targets: [{ fromFiscalYear: null, toFiscalYear: null, value: 100, source: HUB_TARGET }],
    source: `directory subgraph, Jurisdiction.forumCoverage.regions and history.regionsWithForumMet (through federation, @requires): ${FORUM_RULE}`,
    derivation: 'DIRECTORY',
    rollUp:
      "Share of regions whose forum counts for the year: the municipality's region; all regions of a prefecture; all regions of the nation (sum of counts).",
    nationalActuals: [],
  },
  {
    code: IndicatorCode.FORUM_MUNICIPALITY,
    nameJa: '市町村ごとの協議の場の設置',
    name: 'Municipalities with their own consultation forum that met',
    unit: '%',
    comparator: Comparator.AT_LEAST,
    targets: [{ fromFiscalYear: null, toFiscalYear: null, value: 100, source: HUB_TARGET }],
    source: `directory subgraph, Jurisdiction.forumCoverage.municipalities and history.municipalitiesWithForumMet (through federation, @requires): ${FORUM_RULE}`,
    derivation: 'DIRECTORY',
    rollUp:
      'Share of municipalities whose own forum counts for the year: 100 or 0 for a municipality; over the area for a prefecture; sum of counts for the nation.',
    nationalActuals: [],
  },
  {
    code: IndicatorCode.ITEMS_IMPLEMENTED,
    nameJa: '構築推進事業の実施事業数',
    name: 'Items of the construction promotion program implemented',
    unit: 'items',
    comparator: Comparator.AT_LEAST,
    targets: [
      { fromFiscalYear: null, toFiscalYear: null, value: 1, source: 'Seed document: 【事業内容】（１は必須） — item 1 is mandatory for every participant' },
    ],
    source: 'this subgraph: program participation (construction promotion program) of the fiscal year',
    derivation: 'ADVISER_SUPPORT',
    rollUp: 'A participant: its number of items (0 when it may run the program but does not). Prefecture and nation: mean over the participants of the area.',
    nationalActuals: [],
  },
  {
    code: IndicatorCode.CONSULTATION_SUPPORT,
    nameJa: '精神保健に関する相談支援体制の整備',
    name: 'Municipalities with mental-health consultation support in place',
    unit: '%',
    comparator: Comparator.AT_LEAST,
    targets: [
      {
        fromFiscalYear: 2023,
        toFiscalYear: null,
        value: 100,
        source:
          'Mental Health and Welfare Act art. 46 as amended in December 2022 (seed document): municipalities build consultation support; the nation makes sure residents can get it close to home',
      },
    ],
    source: 'reported per municipality (100 in place, 0 not yet); stored in this subgraph',
    derivation: 'REPORTED',
    rollUp: 'Share of municipalities with support in place; a municipality without a report counts as not yet in place.',
    nationalActuals: [],
  },
  {
    code: IndicatorCode.STAFF_TRAINED,
    nameJa: '研修修了者数（累計）',
    name: 'Staff trained (cumulative)',
    unit: 'persons',
    comparator: Comparator.AT_LEAST,
    targets: [],
    source:
      'training subgraph, Jurisdiction.trainedStaffHistory: distinct staff with a completion by the end of the fiscal year (through federation, @requires; see src/federation.ts)',
    derivation: 'TRAINING',
    rollUp: 'The training subgraph rolls it up for prefecture codes; the nation sums the prefectures.',
    nationalActuals: [],
  },
  {
    code: IndicatorCode.COMMUNITY_DAYS_AFTER_DISCHARGE,
    nameJa: '精神病床からの退院後1年以内の地域における平均生活日数',
    name: 'Average days lived in the community within one year of discharge from a psychiatric bed',
    unit: 'days',
    comparator: Comparator.AT_LEAST,
    targets: [
      { fromFiscalYear: 2021, toFiscalYear: 2023, value: 316, source: PLAN_6 },
      { fromFiscalYear: 2024, toFiscalYear: 2026, value: 325.3, source: PLAN_7 },
    ],
    source: `reported per prefecture; ${DEMO_SOURCE}`,
    derivation: 'REPORTED',
    rollUp: 'Prefecture: its reported value. Nation: mean of the prefectures weighted by discharges. Not reported per municipality.',
    nationalActuals: [{ fiscalYear: 2022, value: 321.9, source: `${PLAN_6}: FY2022 actual 321.9` }],
  },
  {
    code: IndicatorCode.LONG_STAY_INPATIENTS,
    nameJa: '精神病床における1年以上長期入院患者数',
    name: 'Long-stay (1 year+) psychiatric inpatients',
    unit: 'persons',
    comparator: Comparator.AT_MOST,
    targets: [],
    source: `${SURVEY_630}; the sum of the two age groups (LONG_STAY_INPATIENTS_65_AND_OVER, LONG_STAY_INPATIENTS_UNDER_65), its target the sum of theirs`,
    derivation: 'REPORTED',
    rollUp: 'Prefecture: its count against its own target. Nation: sum of counts against the sum of targets.',
    nationalActuals: [],
  },
  ...(
    [
      [IndicatorCode.DISCHARGE_RATE_3_MONTHS, '入院後3か月時点の退院率', 'Discharge rate 3 months after admission', 69],
      [IndicatorCode.DISCHARGE_RATE_6_MONTHS, '入院後6か月時点の退院率', 'Discharge rate 6 months after admission', 86],
      [IndicatorCode.DISCHARGE_RATE_12_MONTHS, '入院後1年時点の退院率', 'Discharge rate 1 year after admission', 92],
    ] as const
  ).map(([code, nameJa, name, target]): IndicatorDefinition => ({
    code,
    nameJa,
    name,
    unit: '%',
    comparator: Comparator.AT_LEAST,
    targets: [{ fromFiscalYear: 2021, toFiscalYear: 2023, value: target, source: PLAN_6 }],
    source: `reported per prefecture; ${DEMO_SOURCE}`,
    derivation: 'REPORTED',
    rollUp: "Prefecture: its reported rate. Nation: mean of the prefectures weighted by admissions. The hub's sources give no target after FY2023.",
    nationalActuals: [],
  })),
  ...(
    [
      [
        IndicatorCode.LONG_STAY_INPATIENTS_65_AND_OVER,
        '精神病床における1年以上長期入院患者数（65歳以上）',
        'Long-stay (1 year+) psychiatric inpatients aged 65 and over',
      ],
      [IndicatorCode.LONG_STAY_INPATIENTS_UNDER_65, '精神病床における1年以上長期入院患者数（65歳未満）', 'Long-stay (1 year+) psychiatric inpatients under 65'],
    ] as const
  ).map(([code, nameJa, name]): IndicatorDefinition => ({
    code,
    nameJa,
    name,
    unit: 'persons',
    comparator: Comparator.AT_MOST,
    targets: [],
    source: `${SURVEY_630}; the target is the prefecture's own, set per age group by the national formula`,
    derivation: 'REPORTED',
    rollUp: `Prefecture: its count against its own target (${PLAN_7}: the long-stay target is set separately for 65 and over and under 65). Nation: sum of counts against the sum of targets.`,
    nationalActuals: [],
  })),
  ...(
    [
      [IndicatorCode.INVOLUNTARY_ADMISSIONS, '措置入院患者数', "Inpatients under involuntary admission by the governor's order (措置入院)"],
      [IndicatorCode.MEDICAL_PROTECTION_ADMISSIONS, '医療保護入院患者数', 'Inpatients under admission for medical care and protection (医療保護入院)'],
      [IndicatorCode.PSYCHIATRIC_BEDS, '精神病床数', 'Psychiatric beds'],
    ] as const
  ).map(([code, nameJa, name]): IndicatorDefinition => ({
    code,
    nameJa,
    name,
    unit: code === IndicatorCode.PSYCHIATRIC_BEDS ? 'beds' : 'persons',
    comparator: Comparator.AT_MOST,
    targets: [],
    source: SURVEY_630,
    derivation: 'REPORTED',
    rollUp:
      "Prefecture: its reported count. Nation: sum over the prefectures. No target: neither plan sets one (AT_MOST gives the plan's direction only), so the status is NO_TARGET.",
    nationalActuals: [],
  })),
];

export const INDICATOR_BY_CODE = new Map(INDICATORS.map((d) => [d.code, d]));

/** The target in force for a fiscal year, if any. */
export function targetFor(definition: IndicatorDefinition, fiscalYear: number): Target | null {
  return (
    definition.targets.find(
      (t) => (t.fromFiscalYear === null || fiscalYear >= t.fromFiscalYear) && (t.toFiscalYear === null || fiscalYear <= t.toFiscalYear),
    ) ?? null
  );
}

export interface IndicatorOutcome {
  code: IndicatorCode;
  value: number | null;
  target: number | null;
  targetSource: string | null;
  status: IndicatorStatus;
  /** How the value was formed (e.g. "41 of 62 municipalities"). */
  basis: string | null;
  note: string | null;
  isDemo: boolean;
}

/** What one evaluation needs: the federated fields and this subgraph's rows for the scope. */
export interface EvaluationInputs {
  tier: EvaluationTier;
  fiscalYear: number;
  /** The jurisdiction (null for the nation). */
  code: string | null;
  /** Directory forum coverage at the end of the fiscal year, per prefecture for the nation; null when the gateway did not send it. */
  forums: ForumCoverageCounts[] | null;
  /** Staff trained by the end of the fiscal year per contributing jurisdiction (null where the training subgraph gave none). */
  trainedStaff: (number | null)[];
  values: readonly IndicatorValue[];
  promotion: readonly ProgramParticipation[];
}

const round = (n: number) => Math.round(n * 10) / 10;
/** The last day of a fiscal year (31 March of the next calendar year). */
const yearEnd = (fiscalYear: number) => `${fiscalYear + 1}-03-31`;
const pct = (n: number, d: number) => (d === 0 ? null : round((100 * n) / d));

function status(definition: IndicatorDefinition, value: number | null, target: number | null): IndicatorStatus {
  if (value === null) return IndicatorStatus.NOT_AVAILABLE;
  if (target === null) return IndicatorStatus.NO_TARGET;
  const met = definition.comparator === Comparator.AT_LEAST ? value >= target : value <= target;
  return met ? IndicatorStatus.MET : IndicatorStatus.NOT_MET;
}

/** The nation's municipalities (市区町村), and each prefecture's (by its first two digits), from the national code list; computed once. */
let municipalityLists: { all: string[]; byPrefix: Map<string, string[]> } | undefined;

/** Municipalities (市区町村) of the area, from the national code list. */
function municipalitiesOf(tier: EvaluationTier, code: string | null): readonly string[] {
  if (tier === EvaluationTier.MUNICIPALITY) return code ? [code] : [];
  if (!municipalityLists) {
    const all: string[] = [];
    const byPrefix = new Map<string, string[]>();
    for (const row of nationalCodeList().rows) {
      if (row.kind === JurisdictionKind.PREFECTURE || row.kind === JurisdictionKind.ADMINISTRATIVE_WARD || row.administrationSuspended) continue;
      all.push(row.code);
      const list = byPrefix.get(row.code.slice(0, 2));
      if (list) list.push(row.code);
      else byPrefix.set(row.code.slice(0, 2), [row.code]);
    }
    municipalityLists = { all, byPrefix };
  }
  const prefix = tier === EvaluationTier.PREFECTURE && code ? code.slice(0, 2) : null;
  return prefix === null ? municipalityLists.all : (municipalityLists.byPrefix.get(prefix) ?? []);
}

export function evaluate(inputs: EvaluationInputs): IndicatorOutcome[] {
  const { tier, fiscalYear, code } = inputs;
  const valueRows = (indicator: IndicatorCode) => inputs.values.filter((v) => v.indicator === indicator && v.fiscalYear === fiscalYear);
  const outcome = (definition: IndicatorDefinition, value: number | null, extra: Partial<IndicatorOutcome> = {}): IndicatorOutcome => {
    const target = extra.target !== undefined ? extra.target : (targetFor(definition, fiscalYear)?.value ?? null);
    const targetSource = extra.targetSource !== undefined ? extra.targetSource : (targetFor(definition, fiscalYear)?.source ?? null);
    return {
      code: definition.code,
      value,
      target,
      targetSource,
      status: status(definition, value, target),
      basis: null,
      note: null,
      isDemo: false,
      ...extra,
    };
  };
  const notAvailable = (definition: IndicatorDefinition, note: string) => outcome(definition, null, { note });

  return INDICATORS.map((d): IndicatorOutcome => {
    switch (d.code) {
      case IndicatorCode.FORUM_PREFECTURE: {
        if (tier === EvaluationTier.MUNICIPALITY) return notAvailable(d, 'Defined for prefectures and the nation only.');
        if (!inputs.forums) return notAvailable(d, "The directory's forum coverage was not received.");
        const counted = inputs.forums.filter((f) => f.ownForumMet).length;
        const setUp = inputs.forums.filter((f) => f.ownForum).length;
        return outcome(d, pct(counted, inputs.forums.length), {
          basis: `${counted} of ${inputs.forums.length} prefectures (${setUp} set up by ${yearEnd(fiscalYear)})`,
          isDemo: true,
        });
      }
      case IndicatorCode.FORUM_REGION:
      case IndicatorCode.FORUM_MUNICIPALITY: {
        if (!inputs.forums) return notAvailable(d, "The directory's forum coverage was not received.");
        const region = d.code === IndicatorCode.FORUM_REGION;
        const n = inputs.forums.reduce((s, f) => s + (region ? f.regionsWithForumMet : f.municipalitiesWithForumMet), 0);
        const setUp = inputs.forums.reduce((s, f) => s + (region ? f.regionsWithForum : f.municipalitiesWithForum), 0);
        const total = inputs.forums.reduce((s, f) => s + (region ? f.regions : f.municipalities), 0);
        if (total === 0) return notAvailable(d, region ? 'No region to count.' : 'No municipality to count.');
        return outcome(d, pct(n, total), {
          basis: `${n} of ${total} ${region ? 'regions' : 'municipalities'} (${setUp} set up by ${yearEnd(fiscalYear)})`,
          isDemo: true,
        });
      }
      case IndicatorCode.ITEMS_IMPLEMENTED: {
        const rows = inputs.promotion.filter((p) => p.program === Program.CONSTRUCTION_PROMOTION && p.fiscalYear === fiscalYear);
        if (tier === EvaluationTier.MUNICIPALITY) {
          const row = code ? nationalCodeList().byCode.get(code) : undefined;
          const own = rows.find((p) => p.jurisdictionCode === code);
          if (own) return outcome(d, own.itemNumbers.length, { basis: `items ${own.itemNumbers.join(', ')}`, isDemo: own.isDemo });
          if (!row || !mayRun(Program.CONSTRUCTION_PROMOTION, row))
            return notAvailable(
              d,
              'This municipality does not run the construction promotion program (only designated cities, special wards and health-centre cities do; the prefecture runs it for the others).',
            );
          return outcome(d, 0, { basis: 'no participation recorded for this fiscal year' });
        }
        if (rows.length === 0) return notAvailable(d, 'No participation in the construction promotion program recorded for this area and fiscal year.');
        const mean = round(rows.reduce((s, p) => s + p.itemNumbers.length, 0) / rows.length);
        return outcome(d, mean, { basis: `mean over ${rows.length} participating jurisdictions`, isDemo: rows.some((p) => p.isDemo) });
      }
      case IndicatorCode.CONSULTATION_SUPPORT: {
        const municipalities = municipalitiesOf(tier, code);
        if (municipalities.length === 0) return notAvailable(d, 'No municipality in scope (a prefecture is evaluated over its area).');
        const inPlace = new Set(
          valueRows(d.code)
            .filter((v) => v.value > 0)
            .map((v) => v.jurisdictionCode),
        );
        const n = municipalities.filter((m) => inPlace.has(m)).length;
        const inScope = new Set(municipalities);
        const reported = valueRows(d.code).filter((v) => inScope.has(v.jurisdictionCode));
        if (tier === EvaluationTier.MUNICIPALITY && reported.length === 0) return notAvailable(d, 'Not reported for this fiscal year.');
        return outcome(d, pct(n, municipalities.length), { basis: `${n} of ${municipalities.length} municipalities`, isDemo: reported.some((v) => v.isDemo) });
      }
      case IndicatorCode.STAFF_TRAINED: {
        const known = inputs.trainedStaff.filter((n): n is number => n !== null);
        if (known.length === 0) return notAvailable(d, 'The training subgraph reported no figure.');
        return outcome(
          d,
          known.reduce((s, n) => s + n, 0),
          { basis: tier === EvaluationTier.NATION ? `sum over ${known.length} prefectures` : null },
        );
      }
      case IndicatorCode.LONG_STAY_INPATIENTS:
      case IndicatorCode.LONG_STAY_INPATIENTS_65_AND_OVER:
      case IndicatorCode.LONG_STAY_INPATIENTS_UNDER_65:
      case IndicatorCode.INVOLUNTARY_ADMISSIONS:
      case IndicatorCode.MEDICAL_PROTECTION_ADMISSIONS:
      case IndicatorCode.PSYCHIATRIC_BEDS: {
        const rows = prefectureRows(valueRows(d.code), tier, code);
        if (rows.length === 0) return notAvailable(d, tier === EvaluationTier.MUNICIPALITY ? 'Reported per prefecture.' : 'Not reported for this fiscal year.');
        const value = rows.reduce((s, v) => s + v.value, 0);
        const targets = rows.map((v) => v.target);
        const target = targets.every((t): t is number => t !== null) ? targets.reduce((s, t) => s + t, 0) : null;
        return outcome(d, value, {
          target,
          targetSource:
            target === null
              ? null
              : 'per prefecture, by the national formula (6th/7th period basic guidelines; per age group from the 7th); summed for the nation',
          basis: tier === EvaluationTier.NATION ? `sum over ${rows.length} prefectures` : null,
          isDemo: rows.some((v) => v.isDemo),
        });
      }
      default: {
        // Outcome indicators reported per prefecture: the prefecture's value, the nation's weighted mean.
        const rows = prefectureRows(valueRows(d.code), tier, code);
        if (rows.length === 0) return notAvailable(d, tier === EvaluationTier.MUNICIPALITY ? 'Reported per prefecture.' : 'Not reported for this fiscal year.');
        const weight = rows.reduce((s, v) => s + (v.weight ?? 1), 0);
        const value = round(rows.reduce((s, v) => s + v.value * (v.weight ?? 1), 0) / weight);
        return outcome(d, value, {
          basis:
            tier === EvaluationTier.NATION
              ? `mean of ${rows.length} prefectures weighted by ${d.code === IndicatorCode.COMMUNITY_DAYS_AFTER_DISCHARGE ? 'discharges' : 'admissions'}`
              : null,
          isDemo: rows.some((v) => v.isDemo),
        });
      }
    }
  });
}

/** The rows of prefecture-reported indicators that count for the tier. */
function prefectureRows(rows: IndicatorValue[], tier: EvaluationTier, code: string | null): IndicatorValue[] {
  if (tier === EvaluationTier.MUNICIPALITY) return [];
  if (tier === EvaluationTier.PREFECTURE) return rows.filter((v) => v.jurisdictionCode === code);
  return rows.filter((v) => isPrefectureCode(v.jurisdictionCode));
}
