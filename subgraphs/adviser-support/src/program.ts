import { JurisdictionKind, type JurisdictionRow } from '@nimo/kit';
import { Program } from './enums';

/**
 * The two national programs as the seed document (MHLW, 精神障害にも対応した地域包括ケアシステムの構築) states
 * them: who may run them, the 14 items of the construction promotion program, and the national budget.
 */

export const SEED_SOURCE = 'MHLW, 精神障害にも対応した地域包括ケアシステムの構築（イメージ） (shared/seed)';

/** The 14 items of the construction promotion program (【事業内容】（１は必須）). */
export const PROMOTION_ITEMS: readonly { number: number; nameJa: string; name: string }[] = [
  { number: 1, nameJa: '保健・医療・福祉関係者による協議の場の設置', name: 'Consultation forum of health, medical and welfare stakeholders (mandatory)' },
  { number: 2, nameJa: '普及啓発に係る事業', name: 'Public education' },
  { number: 3, nameJa: '精神障害者の家族支援に係る事業', name: 'Support for families' },
  { number: 4, nameJa: '精神障害者の住まいの確保支援に係る事業', name: 'Housing support' },
  { number: 5, nameJa: 'ピアサポートの活用に係る事業', name: 'Peer support' },
  { number: 6, nameJa: 'アウトリーチ支援に係る事業', name: 'Outreach' },
  { number: 7, nameJa: '措置入院者及び緊急措置入院者等の退院後の医療等の継続支援に係る事業', name: 'Continued care after (emergency) involuntary admission' },
  { number: 8, nameJa: '構築推進サポーターの活用に係る事業', name: 'Construction promotion supporters' },
  { number: 9, nameJa: '精神医療相談に係る事業', name: 'Psychiatric medical consultation' },
  { number: 10, nameJa: '医療連携体制の構築に係る事業', name: 'Medical cooperation system' },
  { number: 11, nameJa: '精神障害者の地域移行・地域定着関係職員に対する研修に係る事業', name: 'Training for community-transition staff' },
  { number: 12, nameJa: '入院中の精神障害者の地域生活支援に係る事業', name: 'Community life support for inpatients' },
  { number: 13, nameJa: '地域包括ケアシステムの構築状況の評価に係る事業', name: 'Evaluation of construction status' },
  { number: 14, nameJa: 'その他、地域包括ケアシステムの構築に資する事業', name: 'Other' },
];
export const MANDATORY_ITEM = 1;

/** National budget per program and fiscal year, thousand yen, from the seed document (real figures). */
export const NATIONAL_BUDGETS: readonly { program: Program; fiscalYear: number; thousandYen: number; source: string }[] = [
  { program: Program.CONSTRUCTION_PROMOTION, fiscalYear: 2022, thousandYen: 669_312, source: `${SEED_SOURCE}: 令和４年度予算額 ６６９,３１２千円` },
  { program: Program.CONSTRUCTION_PROMOTION, fiscalYear: 2023, thousandYen: 603_031, source: `${SEED_SOURCE}: 令和５年度予算額 ６０３，０３１千円` },
  { program: Program.CONSTRUCTION_SUPPORT, fiscalYear: 2022, thousandYen: 39_114, source: `${SEED_SOURCE}: 令和４年度予算額 ３９,１１４千円` },
  { program: Program.CONSTRUCTION_SUPPORT, fiscalYear: 2023, thousandYen: 39_114, source: `${SEED_SOURCE}: 令和５年度予算額 ３９，１１４千円` },
];

const SUPPORT_KINDS: readonly JurisdictionKind[] = [JurisdictionKind.PREFECTURE, JurisdictionKind.DESIGNATED_CITY, JurisdictionKind.SPECIAL_WARD];

/** Who may run each program (＜実施主体＞ and ＜参加主体＞ in the seed). */
export function mayRun(program: Program, row: JurisdictionRow): boolean {
  if (program === Program.CONSTRUCTION_SUPPORT) {
    return SUPPORT_KINDS.includes(row.kind);
  }
  return SUPPORT_KINDS.includes(row.kind) || (row.runsPublicHealthCentre && row.kind !== JurisdictionKind.ADMINISTRATIVE_WARD);
}

export const RUNNERS: Record<Program, string> = {
  [Program.CONSTRUCTION_PROMOTION]: 'prefectures, designated cities, special wards and health-centre cities (都道府県・指定都市・特別区・保健所設置市)',
  [Program.CONSTRUCTION_SUPPORT]: 'prefectures, designated cities and special wards (都道府県・指定都市・特別区)',
};
