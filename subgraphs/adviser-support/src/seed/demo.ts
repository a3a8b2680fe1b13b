import { DEMO_PROGRAM_FIRST_YEAR, demoUuid, isDemoPromotionParticipant, JurisdictionKind, pick, unit, type JurisdictionRow } from '@nimo/kit';
import type { Adviser, AdviserAssignment, PromotionSupporter } from '../entities/adviser';
import type { IndicatorValue } from '../entities/evaluation';
import type { PracticeCase } from '../entities/practice-case';
import type { ProgramParticipation } from '../entities/program';
import type { SupportRequest } from '../entities/support-request';
import { AdviserKind, IndicatorCode, Program, SupportMode, SupportRequestStatus } from '../enums';
import { mayRun, NATIONAL_BUDGETS, PROMOTION_ITEMS } from '../program';
import { normaliseForSearch } from '../practice-cases';

/**
 * Demo data for every prefecture and designated city (and some special wards and health-centre
 * cities), generated from the national code list and nothing else: the same on every run. Every row is
 * marked demo; people are pseudonyms with （デモ） in their name. Real data (national budgets) is in the
 * migration, not here.
 */

export const DEMO_YEARS = [DEMO_PROGRAM_FIRST_YEAR, 2023, 2024, 2025, 2026] as const;
const DEMO_SOURCE = 'デモデータ（生成）';

export interface DemoData {
  participations: ProgramParticipation[];
  advisers: Adviser[];
  assignments: AdviserAssignment[];
  supporters: PromotionSupporter[];
  requests: Omit<SupportRequest, 'seq'>[];
  values: IndicatorValue[];
  cases: PracticeCase[];
}

const AFFILIATIONS = [
  '精神科病院・精神保健福祉士',
  '相談支援事業所・相談支援専門員',
  '保健所・保健師',
  '精神保健福祉センター・医師',
  '訪問看護ステーション・看護師',
  '大学・研究者',
  '市町村障害福祉課・行政職',
  'ピアサポート団体・ピアサポーター',
];
const BACKGROUNDS = ['ピアサポーター', '精神科訪問看護師', '相談支援専門員', '家族会会員', '居住支援法人職員', '精神科病院の精神保健福祉士'];
const REQUEST_SUBJECTS: Record<number, string> = {
  1: '協議の場の運営と評価指標の設定について',
  2: '普及啓発イベントの企画について',
  3: '家族支援プログラムの立ち上げ',
  4: '居住支援協議会との連携方法',
  5: 'ピアサポーターの養成と雇用',
  6: 'アウトリーチ支援チームの体制づくり',
  7: '措置入院者の退院後支援計画',
  8: '構築推進サポーターの活用方法',
  9: '精神医療相談窓口の運用',
  10: '医療連携体制の構築',
  11: '地域移行研修のカリキュラム',
  12: '長期入院者への地域生活支援',
  13: '構築状況の評価の進め方',
  14: '市町村相談支援体制の整備',
};
const CASE_TAGS: Record<number, string[]> = {
  1: ['協議の場', 'PDCA'],
  2: ['普及啓発', 'メンタルヘルス'],
  3: ['家族支援', '家族会'],
  4: ['住まい', '居住支援'],
  5: ['ピアサポート', '当事者参画'],
  6: ['アウトリーチ', '訪問支援'],
  7: ['措置入院', '退院後支援'],
  8: ['構築推進サポーター'],
  9: ['精神医療相談'],
  10: ['医療連携', '精神科救急'],
  11: ['研修', '人材育成'],
  12: ['地域移行', '退院支援', '長期入院'],
  13: ['評価', '指標'],
  14: ['相談支援体制', '市町村'],
};

/**
 * The national budget a demo year's subsidies share: the year's real figure (FY2022, FY2023), or for a
 * later demo year the latest real one before it (the seed gives none after FY2023).
 */
export function demoNationalBudget(fiscalYear: number): number {
  const known = NATIONAL_BUDGETS.filter((b) => b.program === Program.CONSTRUCTION_PROMOTION && b.fiscalYear <= fiscalYear).sort(
    (a, b) => b.fiscalYear - a.fiscalYear,
  )[0];
  if (!known) throw new Error(`no national budget of the construction promotion program on or before FY${fiscalYear}`);
  return known.thousandYen;
}

/**
 * The participants' national subsidies (`budgetThousandYen`) of a demo year: 85–95 % of the national
 * budget shared out by weight (a prefecture weighs about three times a city), rounded down, so the
 * year's subsidies add up to no more than the national budget.
 */
function demoSubsidies(participants: readonly JurisdictionRow[], fiscalYear: number): Map<string, number> {
  const weights = participants.map(
    (j) => [j.code, j.kind === JurisdictionKind.PREFECTURE ? pick(60, 140, j.code, fiscalYear, 'budget') : pick(15, 50, j.code, fiscalYear, 'budget')] as const,
  );
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const granted = demoNationalBudget(fiscalYear) * (0.85 + 0.1 * unit('granted', fiscalYear));
  return new Map(weights.map(([code, w]) => [code, Math.floor((granted * w) / total)]));
}

export function buildDemoData(rows: readonly JurisdictionRow[]): DemoData {
  const live = rows.filter((r) => !r.administrationSuspended);
  const prefectures = live.filter((r) => r.kind === JurisdictionKind.PREFECTURE);
  const designated = live.filter((r) => r.kind === JurisdictionKind.DESIGNATED_CITY);
  const core = [...prefectures, ...designated];
  // Some special wards and health-centre cities take part as well.
  const others = live.filter((r) => !core.includes(r) && isDemoPromotionParticipant(r) && mayRun(Program.CONSTRUCTION_PROMOTION, r));
  const municipalities = live.filter((r) => r.kind !== JurisdictionKind.PREFECTURE && r.kind !== JurisdictionKind.ADMINISTRATIVE_WARD);

  const data: DemoData = { participations: [], advisers: [], assignments: [], supporters: [], requests: [], values: [], cases: [] };

  for (const fiscalYear of DEMO_YEARS) {
    const subsidies = demoSubsidies([...core, ...others], fiscalYear);
    for (const j of [...core, ...others]) {
      const items = [
        1,
        ...PROMOTION_ITEMS.slice(1)
          .map((i) => i.number)
          .filter((n) => unit(j.code, fiscalYear, 'item', n) < 0.45 + 0.05 * (fiscalYear - 2022)),
      ];
      data.participations.push({
        id: demoUuid('participation', j.code, fiscalYear, Program.CONSTRUCTION_PROMOTION),
        jurisdictionCode: j.code,
        fiscalYear,
        program: Program.CONSTRUCTION_PROMOTION,
        itemNumbers: items,
        budgetThousandYen: subsidies.get(j.code) ?? null,
        version: 1,
        isDemo: true,
      });
      if (mayRun(Program.CONSTRUCTION_SUPPORT, j) && (core.includes(j) || unit(j.code, 'support') < 0.5)) {
        data.participations.push({
          id: demoUuid('participation', j.code, fiscalYear, Program.CONSTRUCTION_SUPPORT),
          jurisdictionCode: j.code,
          fiscalYear,
          program: Program.CONSTRUCTION_SUPPORT,
          itemNumbers: [],
          budgetThousandYen: null,
          version: 1,
          isDemo: true,
        });
      }
    }
  }

  const wideArea: Adviser[] = Array.from({ length: 20 }, (_, i) => ({
    id: demoUuid('adviser', 'wide', i),
    displayName: `広域アドバイザー${String.fromCharCode(65 + (i % 26))}${String(i + 1).padStart(2, '0')}（デモ）`,
    kind: AdviserKind.WIDE_AREA,
    affiliation: AFFILIATIONS[i % AFFILIATIONS.length] ?? '',
    expertiseItems: [1, ...[5, 6, 10, 12, 13].filter((n) => unit('wide', i, n) < 0.5)],
    expertise: '協議の場の運営支援、地域移行・地域定着の体制づくり',
    isDemo: true,
  }));
  data.advisers.push(...wideArea);

  core.forEach((j, index) => {
    const embedded: Adviser[] = [0, 1].map((k) => ({
      id: demoUuid('adviser', 'embedded', j.code, k),
      displayName: `${j.name}密着アドバイザー${k + 1}（デモ）`,
      kind: AdviserKind.PREFECTURE_EMBEDDED,
      affiliation: AFFILIATIONS[pick(0, AFFILIATIONS.length - 1, j.code, k, 'aff')] ?? '',
      expertiseItems: [1, ...[2, 3, 4, 5, 8, 11].filter((n) => unit(j.code, k, n) < 0.4)],
      expertise: `${j.name}の圏域での協議の場と個別支援の連携`,
      isDemo: true,
    }));
    data.advisers.push(...embedded);
    for (const fiscalYear of DEMO_YEARS) {
      const wide = wideArea[(index + fiscalYear) % wideArea.length];
      if (wide) data.assignments.push({ adviserId: wide.id, jurisdictionCode: j.code, fiscalYear, isDemo: true });
      for (const a of embedded) data.assignments.push({ adviserId: a.id, jurisdictionCode: j.code, fiscalYear, isDemo: true });
      for (const k of [0, 1]) {
        data.supporters.push({
          id: demoUuid('supporter', j.code, fiscalYear, k),
          displayName: `${j.name}構築推進サポーター${k + 1}（デモ）`,
          jurisdictionCode: j.code,
          fiscalYear,
          background: BACKGROUNDS[pick(0, BACKGROUNDS.length - 1, j.code, fiscalYear, k)] ?? '',
          isDemo: true,
        });
      }
    }

    // Support requests in FY2023 and FY2024, in every status.
    const statuses = [
      SupportRequestStatus.COMPLETED,
      SupportRequestStatus.IN_PROGRESS,
      SupportRequestStatus.REQUESTED,
      SupportRequestStatus.ACCEPTED,
      SupportRequestStatus.CANCELLED,
      SupportRequestStatus.ON_HOLD,
      SupportRequestStatus.REJECTED,
    ];
    const modes = Object.values(SupportMode);
    for (const fiscalYear of [2023, 2024]) {
      for (const k of [0, 1]) {
        const status = statuses[pick(0, statuses.length - 1, j.code, fiscalYear, k, 'status')] ?? SupportRequestStatus.REQUESTED;
        const topic = pick(1, 14, j.code, fiscalYear, k, 'topic');
        const assigned = [
          SupportRequestStatus.ACCEPTED,
          SupportRequestStatus.IN_PROGRESS,
          SupportRequestStatus.ON_HOLD,
          SupportRequestStatus.COMPLETED,
        ].includes(status);
        const month = pick(4, 12, j.code, fiscalYear, k, 'month');
        const day = pick(1, 28, j.code, fiscalYear, k, 'day');
        const at = new Date(Date.UTC(fiscalYear, month - 1, day, 1, 0, 0));
        data.requests.push({
          id: demoUuid('request', j.code, fiscalYear, k),
          jurisdictionCode: j.code,
          fiscalYear,
          mode: modes[pick(0, modes.length - 1, j.code, fiscalYear, k, 'mode')] ?? SupportMode.ONLINE,
          topicItem: topic,
          subject: REQUEST_SUBJECTS[topic] ?? '',
          detail: `（デモ）${j.name}から、${REQUEST_SUBJECTS[topic] ?? ''}に関する助言を求める。`,
          status,
          adviserId: assigned ? (embedded[k]?.id ?? null) : null,
          outcome: status === SupportRequestStatus.COMPLETED ? '（デモ）オンラインで助言し、次回の協議の場で取組方針を確認した。' : null,
          statusNote:
            status === SupportRequestStatus.REJECTED
              ? '（デモ）構築支援事業の対象外の内容のため'
              : status === SupportRequestStatus.ON_HOLD
                ? '（デモ）自治体側の調整待ち'
                : null,
          requestedAt: at,
          updatedAt: at,
          version: 1,
          isDemo: true,
        });
      }
    }

    // A practice case per prefecture and designated city.
    const caseItems = [1, ...[2, 3, 4, 5, 6, 8, 12, 14].filter((n) => unit(j.code, 'case', n) < 0.3)];
    const main = caseItems[caseItems.length - 1] ?? 1;
    const mainName = PROMOTION_ITEMS.find((i) => i.number === main)?.nameJa ?? '';
    const title = `${j.name}における${(CASE_TAGS[main] ?? ['協議の場'])[0]}の取組（デモ）`;
    const summary = `（デモ）${j.name}は、${mainName}を中心に、保健・医療・福祉関係者による協議の場で地域課題を共有し、目標設定と評価を繰り返した。`;
    const tags = [...new Set(caseItems.flatMap((n) => CASE_TAGS[n] ?? []))];
    data.cases.push({
      id: demoUuid('case', j.code),
      title,
      jurisdictionCode: j.code,
      fiscalYear: 2023,
      itemNumbers: caseItems,
      summary,
      tags,
      searchText: normaliseForSearch([title, summary, ...tags, j.name, j.nameKana].join(' ')),
      isDemo: true,
    });
  });

  for (const fiscalYear of DEMO_YEARS) {
    const source = DEMO_SOURCE;
    for (const p of prefectures) {
      const v = (indicator: IndicatorCode, value: number, weight: number | null, target: number | null = null): IndicatorValue => ({
        jurisdictionCode: p.code,
        fiscalYear,
        indicator,
        value,
        weight,
        target,
        source,
        isDemo: true,
      });
      const admissions = pick(1_500, 20_000, p.code, fiscalYear, 'admissions');
      // The 630 survey's figures (30 June): long-stay inpatients by age group, each with the prefecture's
      // target; the total and its target are their sums; admissions by kind within the beds.
      const longStay = pick(800, 12_000, p.code, 'longstay') - (fiscalYear - 2022) * pick(10, 200, p.code, 'decline');
      const longStay65 = Math.round(longStay * (0.58 + 0.1 * unit(p.code, 'aged')) + (fiscalYear - 2022) * 0.01 * longStay);
      const longStayUnder65 = longStay - longStay65;
      const ageTarget = (n: number, group: string) => Math.round(n * (0.92 + 0.12 * unit(p.code, fiscalYear, 'target', group)));
      const target65 = ageTarget(longStay65, '65+');
      const targetUnder65 = ageTarget(longStayUnder65, '<65');
      const beds = Math.round(longStay / (0.55 + 0.1 * unit(p.code, 'beds'))) - (fiscalYear - 2022) * pick(5, 120, p.code, 'bed-decline');
      const inpatients = Math.round(beds * (0.82 + 0.08 * unit(p.code, fiscalYear, 'occupancy')));
      data.values.push(
        v(
          IndicatorCode.COMMUNITY_DAYS_AFTER_DISCHARGE,
          Math.round((305 + 30 * unit(p.code, fiscalYear, 'days')) * 10) / 10,
          pick(1_500, 20_000, p.code, fiscalYear, 'discharges'),
        ),
        v(IndicatorCode.LONG_STAY_INPATIENTS, longStay, null, target65 + targetUnder65),
        v(IndicatorCode.LONG_STAY_INPATIENTS_65_AND_OVER, longStay65, null, target65),
        v(IndicatorCode.LONG_STAY_INPATIENTS_UNDER_65, longStayUnder65, null, targetUnder65),
        v(IndicatorCode.PSYCHIATRIC_BEDS, beds, null),
        v(IndicatorCode.INVOLUNTARY_ADMISSIONS, Math.round(inpatients * (0.003 + 0.004 * unit(p.code, fiscalYear, 'sochi'))), null),
        v(IndicatorCode.MEDICAL_PROTECTION_ADMISSIONS, Math.round(inpatients * (0.4 + 0.15 * unit(p.code, fiscalYear, 'iryohogo'))), null),
        v(IndicatorCode.DISCHARGE_RATE_3_MONTHS, Math.round((62 + 10 * unit(p.code, fiscalYear, 'r3')) * 10) / 10, admissions),
        v(IndicatorCode.DISCHARGE_RATE_6_MONTHS, Math.round((80 + 9 * unit(p.code, fiscalYear, 'r6')) * 10) / 10, admissions),
        v(IndicatorCode.DISCHARGE_RATE_12_MONTHS, Math.round((87 + 7 * unit(p.code, fiscalYear, 'r12')) * 10) / 10, admissions),
      );
    }
    for (const m of municipalities) {
      const inPlace = unit(m.code, 'consultation') < 0.35 + 0.2 * (fiscalYear - 2022);
      data.values.push({
        jurisdictionCode: m.code,
        fiscalYear,
        indicator: IndicatorCode.CONSULTATION_SUPPORT,
        value: inPlace ? 100 : 0,
        weight: null,
        target: null,
        source,
        isDemo: true,
      });
    }
  }
  return data;
}
