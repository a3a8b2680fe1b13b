/**
 * Japanese words for the API's enum values and fiscal years.
 *
 * The hub is to serve these labels itself (issue 15: every enum value's Japanese label and every
 * fiscal year's 令和 label from the API, so that every front end shows the same words). Until that
 * lands, this module is the dashboard's one place for them; the views ask only `label()` and
 * `fiscalYearLabel()`, so switching to the API's labels touches this file alone.
 */
const LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  AdviserKind: { WIDE_AREA: '広域アドバイザー', PREFECTURE_EMBEDDED: '都道府県等密着アドバイザー' },
  CaseStatus: { OPEN: '対応中', REFERRED: 'つなぎ中', CLOSED: '終結' },
  ContactChannel: { VISIT: '来所', PHONE: '電話', ONLINE: 'オンライン', EMAIL: 'メール', OUTREACH: '訪問' },
  EvaluationTier: { MUNICIPALITY: '市町村', PREFECTURE: '都道府県', NATION: '国' },
  IndicatorCode: {
    FORUM_PREFECTURE: '都道府県の協議の場',
    FORUM_REGION: '障害保健福祉圏域の協議の場',
    FORUM_MUNICIPALITY: '市町村の協議の場',
    ITEMS_IMPLEMENTED: '実施事業数',
    CONSULTATION_SUPPORT: '相談支援体制',
    STAFF_TRAINED: '研修修了者',
    COMMUNITY_DAYS_AFTER_DISCHARGE: '退院後の地域での平均生活日数',
    LONG_STAY_INPATIENTS: '長期入院患者数',
    DISCHARGE_RATE_3_MONTHS: '入院後3か月時点の退院率',
    DISCHARGE_RATE_6_MONTHS: '入院後6か月時点の退院率',
    DISCHARGE_RATE_12_MONTHS: '入院後1年時点の退院率',
  },
  IndicatorStatus: { MET: '達成', NOT_MET: '未達成', NO_TARGET: '目標なし', NOT_AVAILABLE: 'データなし' },
  JurisdictionKind: {
    PREFECTURE: '都道府県',
    DESIGNATED_CITY: '指定都市',
    CORE_CITY: '中核市',
    SPECIAL_WARD: '特別区',
    OTHER_CITY: '市',
    TOWN: '町',
    VILLAGE: '村',
    ADMINISTRATIVE_WARD: '行政区',
  },
  Need: {
    MENTAL_HEALTH: '精神保健',
    DEVELOPMENTAL: '発達障害',
    DEMENTIA: '認知症',
    ADDICTION: '依存症',
    SUICIDE_RISK: '自殺リスク',
    EMPLOYMENT: '就労',
    HOUSING: '住まい',
    FAMILY: '家族',
    HARDSHIP: '生活困窮',
    MATERNAL_CHILD_HEALTH: '母子保健',
    OTHER: 'その他',
  },
  Program: { CONSTRUCTION_PROMOTION: '構築推進事業', CONSTRUCTION_SUPPORT: '構築支援事業' },
  ReferralStatus: { REQUESTED: '依頼中', ACCEPTED: '受理', IN_PROGRESS: '対応中', COMPLETED: '完了', DECLINED: '辞退', CANCELLED: '取消' },
  StaffQualification: { PSW: '精神保健福祉士', PUBLIC_HEALTH_NURSE: '保健師', CERTIFIED_PSYCHOLOGIST: '公認心理師', SOCIAL_WORKER: '社会福祉士', NURSE: '看護師', OTHER: 'その他' },
  SupportMode: { ONLINE: 'オンライン', PHONE: '電話', EMAIL: 'メール', ON_SITE_TECHNICAL_ADVICE: '現地での技術的助言', PREFECTURAL_TRAINING: '都道府県研修' },
  SupportRequestStatus: { REQUESTED: '依頼中', ACCEPTED: '受付', IN_PROGRESS: '対応中', ON_HOLD: '保留', COMPLETED: '完了', REJECTED: '不受理', CANCELLED: '取消' },
  ServiceKind: {
    MUNICIPAL_MENTAL_HEALTH_DESK: '市町村精神保健相談窓口',
    CORE_CONSULTATION_SUPPORT_CENTRE: '基幹相談支援センター',
    COMMUNITY_GENERAL_SUPPORT_CENTRE: '地域包括支援センター',
    PLAN_CONSULTATION_SUPPORT: '計画相談支援',
    COMMUNITY_CONSULTATION_SUPPORT: '地域相談支援',
    PUBLIC_HEALTH_CENTRE: '保健所',
    MENTAL_HEALTH_WELFARE_CENTRE: '精神保健福祉センター',
    DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE: '発達障害者支援センター',
    FAMILY_DOCTOR: 'かかりつけ医',
    CLINIC_WITH_BEDS: '有床診療所',
    PSYCHIATRIC_DAY_CARE: '精神科デイケア',
    PSYCHIATRIC_HOME_VISIT_NURSING: '精神科訪問看護',
    COMMUNITY_PARTNER_HOSPITAL: '地域の協力病院',
    PSYCHIATRIC_HOSPITAL_ACUTE: '精神科病院（急性期）',
    PSYCHIATRIC_HOSPITAL_RECOVERY: '精神科病院（回復期）',
    PSYCHIATRIC_HOSPITAL_CHRONIC: '精神科病院（慢性期）',
    DENTAL: '歯科',
    PHARMACY: '薬局',
    HOME_VISIT_CARE: '訪問介護',
    HOME_VISIT_NURSING: '訪問看護',
    DAY_SERVICE: '通所介護',
    SMALL_SCALE_MULTIFUNCTIONAL_HOME_CARE: '小規模多機能型居宅介護',
    SHORT_STAY: '短期入所生活介護',
    WELFARE_EQUIPMENT: '福祉用具',
    ROUND_THE_CLOCK_HOME_VISIT: '定期巡回・随時対応型訪問介護看護',
    PREVENTIVE_CARE: '介護予防',
    SPECIAL_ELDERLY_NURSING_HOME: '特別養護老人ホーム',
    LTC_HEALTH_FACILITY: '介護老人保健施設',
    DEMENTIA_GROUP_HOME: '認知症対応型共同生活介護',
    DISABILITY_HOME_CARE: '居宅介護（障害福祉）',
    DAILY_LIFE_CARE: '生活介護',
    DISABILITY_SHORT_STAY: '短期入所（障害福祉）',
    CONTINUED_EMPLOYMENT_SUPPORT: '就労継続支援',
    INDEPENDENCE_TRAINING: '自立訓練',
    INDEPENDENT_LIVING_ASSISTANCE: '自立生活援助',
    FACILITY_ADMISSION_SUPPORT: '施設入所支援',
    GROUP_HOME: '共同生活援助（グループホーム）',
    RESIDENTIAL_INDEPENDENCE_TRAINING: '宿泊型自立訓練',
    COMMUNITY_LIFE_SUPPORT_HUB: '地域生活支援拠点等',
    PUBLIC_HOUSING: '公営住宅',
    SERVICED_HOUSING_FOR_OLDER_PEOPLE: 'サービス付き高齢者向け住宅',
    HOUSING_SUPPORT_CORPORATION: '住宅確保要配慮者居住支援法人',
    EMPLOYMENT_LIFE_SUPPORT_CENTRE: '障害者就業・生活支援センター',
    HELLO_WORK: 'ハローワーク',
  },
};

/** The Japanese label of an enum value; the code itself when none is known (never blank). */
export function label(enumName: string, value: string): string {
  return LABELS[enumName]?.[value] ?? value;
}

/** FY2024 → 令和6年度 (the fiscal year April 2024 – March 2025; 令和 began in 2019). */
export function fiscalYearLabel(fiscalYear: number): string {
  const reiwa = fiscalYear - 2018;
  if (reiwa >= 1) return `令和${reiwa === 1 ? '元' : reiwa}年度`;
  return `平成${fiscalYear - 1988}年度`;
}

export const ROLE_LABELS: Readonly<Record<string, string>> = {
  nation: '国（厚生労働省）',
  adviser: '国（アドバイザー組織）',
  prefecture: '都道府県',
  health_centre: '保健所',
  mhw_centre: '精神保健福祉センター',
  municipality: '市町村',
  provider: 'サービス事業者',
  vendor: 'ベンダー',
};
