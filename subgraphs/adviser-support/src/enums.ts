import { registerLabelledEnum, type LabelledEnum } from '@nimo/kit';

/** Enum values equal their names, so the database, TypeScript and GraphQL all spell them alike. */

export enum Program {
  CONSTRUCTION_PROMOTION = 'CONSTRUCTION_PROMOTION',
  CONSTRUCTION_SUPPORT = 'CONSTRUCTION_SUPPORT',
}
export const ProgramLabels = registerLabelledEnum(Program, {
  name: 'Program',
  description: 'The two national programs of 「にも包括」 (MHLW; see the seed document). Either can run alone.',
  values: {
    CONSTRUCTION_PROMOTION: {
      label: '構築推進事業',
      description:
        '精神障害にも対応した地域包括ケアシステムの構築推進事業 (construction promotion program, part of 地域生活支援促進事業): run by ' +
        'prefectures, designated cities, special wards and health-centre cities; 14 items, item 1 (a consultation forum) mandatory.',
    },
    CONSTRUCTION_SUPPORT: {
      label: '構築支援事業',
      description:
        "精神障害にも対応した地域包括ケアシステムの構築支援事業 (construction support program): the nation's adviser organisation " +
        'supports the prefectures, designated cities and special wards that take part.',
    },
  },
});

export enum AdviserKind {
  WIDE_AREA = 'WIDE_AREA',
  PREFECTURE_EMBEDDED = 'PREFECTURE_EMBEDDED',
}
export const AdviserKindLabels = registerLabelledEnum(AdviserKind, {
  name: 'AdviserKind',
  description: 'The two kinds of adviser of the national adviser organisation (国（アドバイザー組織）).',
  values: {
    WIDE_AREA: { label: '広域アドバイザー', description: 'wide-area adviser, advises prefectures and cities across the country.' },
    PREFECTURE_EMBEDDED: { label: '都道府県等密着アドバイザー', description: 'adviser embedded in one prefecture or city, works with it day to day.' },
  },
});

export enum SupportMode {
  ONLINE = 'ONLINE',
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  ON_SITE_TECHNICAL_ADVICE = 'ON_SITE_TECHNICAL_ADVICE',
  PREFECTURAL_TRAINING = 'PREFECTURAL_TRAINING',
}
export const SupportModeLabels = registerLabelledEnum(SupportMode, {
  name: 'SupportMode',
  description:
    'How the adviser organisation supports a jurisdiction (the seed: 個別相談・支援（オンライン、電話、メール）、現地での技術的助言、都道府県等研修への協力).',
  values: {
    ONLINE: { label: '個別相談・支援（オンライン）', description: 'individual consultation online.' },
    PHONE: { label: '個別相談・支援（電話）', description: 'individual consultation by phone.' },
    EMAIL: { label: '個別相談・支援（メール）', description: 'individual consultation by e-mail.' },
    ON_SITE_TECHNICAL_ADVICE: { label: '現地での技術的助言', description: 'technical advice on site.' },
    PREFECTURAL_TRAINING: { label: '都道府県等研修への協力', description: 'help with a training run by the prefecture or city.' },
  },
});

export enum SupportRequestStatus {
  REQUESTED = 'REQUESTED',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  ON_HOLD = 'ON_HOLD',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
  CANCELLED = 'CANCELLED',
}
export const SupportRequestStatusLabels = registerLabelledEnum(SupportRequestStatus, {
  name: 'SupportRequestStatus',
  description:
    'Where a support request stands (vocabulary after HL7 FHIR Task.status). Allowed moves: REQUESTED → ACCEPTED (by assigning ' +
    'an adviser) | REJECTED | CANCELLED; ACCEPTED → IN_PROGRESS | CANCELLED; IN_PROGRESS → ON_HOLD | COMPLETED | CANCELLED; ' +
    'ON_HOLD → IN_PROGRESS | CANCELLED. COMPLETED, REJECTED and CANCELLED are final.',
  values: {
    REQUESTED: { label: '依頼済み', description: 'Filed by the jurisdiction; no adviser yet.' },
    ACCEPTED: { label: '受付済み', description: 'The adviser organisation accepted it and assigned an adviser.' },
    IN_PROGRESS: { label: '支援中', description: 'The adviser is working on it.' },
    ON_HOLD: { label: '保留', description: 'Paused (e.g. waiting for the jurisdiction).' },
    COMPLETED: { label: '完了', description: 'Done; the outcome is recorded.' },
    REJECTED: { label: 'お断り', description: 'Declined by the adviser organisation, with a reason.' },
    CANCELLED: { label: '取下げ', description: 'Withdrawn by the jurisdiction or closed by the adviser organisation before completion.' },
  },
});

export enum IndicatorCode {
  FORUM_PREFECTURE = 'FORUM_PREFECTURE',
  FORUM_REGION = 'FORUM_REGION',
  FORUM_MUNICIPALITY = 'FORUM_MUNICIPALITY',
  ITEMS_IMPLEMENTED = 'ITEMS_IMPLEMENTED',
  CONSULTATION_SUPPORT = 'CONSULTATION_SUPPORT',
  STAFF_TRAINED = 'STAFF_TRAINED',
  COMMUNITY_DAYS_AFTER_DISCHARGE = 'COMMUNITY_DAYS_AFTER_DISCHARGE',
  LONG_STAY_INPATIENTS = 'LONG_STAY_INPATIENTS',
  DISCHARGE_RATE_3_MONTHS = 'DISCHARGE_RATE_3_MONTHS',
  DISCHARGE_RATE_6_MONTHS = 'DISCHARGE_RATE_6_MONTHS',
  DISCHARGE_RATE_12_MONTHS = 'DISCHARGE_RATE_12_MONTHS',
  LONG_STAY_INPATIENTS_65_AND_OVER = 'LONG_STAY_INPATIENTS_65_AND_OVER',
  LONG_STAY_INPATIENTS_UNDER_65 = 'LONG_STAY_INPATIENTS_UNDER_65',
  INVOLUNTARY_ADMISSIONS = 'INVOLUNTARY_ADMISSIONS',
  MEDICAL_PROTECTION_ADMISSIONS = 'MEDICAL_PROTECTION_ADMISSIONS',
  PSYCHIATRIC_BEDS = 'PSYCHIATRIC_BEDS',
}
export const IndicatorCodeLabels = registerLabelledEnum(IndicatorCode, {
  name: 'IndicatorCode',
  description: 'The indicators of the evaluation of construction status (構築状況の評価); see `evaluationIndicators` for definitions, targets and sources.',
  values: {
    FORUM_PREFECTURE: {
      label: '都道府県ごとの協議の場の設置',
      description: "A prefecture-tier consultation forum is set up by the end of the fiscal year and met in it (from the directory's forum records).",
    },
    FORUM_REGION: {
      label: '障害保健福祉圏域ごとの協議の場の設置',
      description:
        "Share of disability health and welfare regions whose forum was set up by the end of the fiscal year and met in it, % (from the directory's forum records).",
    },
    FORUM_MUNICIPALITY: {
      label: '市町村ごとの協議の場の設置',
      description: "Share of municipalities whose own forum was set up by the end of the fiscal year and met in it, % (from the directory's forum records).",
    },
    ITEMS_IMPLEMENTED: { label: '構築推進事業の実施事業数', description: 'Items of the construction promotion program implemented (this subgraph).' },
    CONSULTATION_SUPPORT: {
      label: '精神保健に関する相談支援体制の整備',
      description: 'Share of municipalities with mental-health consultation support in place, % (reported; this subgraph).',
    },
    STAFF_TRAINED: { label: '研修修了者数（累計）', description: 'Staff trained, cumulative (from the training subgraph).' },
    COMMUNITY_DAYS_AFTER_DISCHARGE: {
      label: '精神病床からの退院後1年以内の地域における平均生活日数',
      description: 'Average days lived in the community within one year of discharge from a psychiatric bed.',
    },
    LONG_STAY_INPATIENTS: { label: '精神病床における1年以上長期入院患者数', description: 'Long-stay (1 year+) psychiatric inpatients.' },
    DISCHARGE_RATE_3_MONTHS: { label: '入院後3か月時点の退院率', description: 'Discharge rate 3 months after admission, %.' },
    DISCHARGE_RATE_6_MONTHS: { label: '入院後6か月時点の退院率', description: 'Discharge rate 6 months after admission, %.' },
    DISCHARGE_RATE_12_MONTHS: { label: '入院後1年時点の退院率', description: 'Discharge rate 12 months after admission, %.' },
    LONG_STAY_INPATIENTS_65_AND_OVER: {
      label: '精神病床における1年以上長期入院患者数（65歳以上）',
      description: 'Long-stay (1 year+) psychiatric inpatients aged 65 and over on 30 June (630 survey).',
    },
    LONG_STAY_INPATIENTS_UNDER_65: {
      label: '精神病床における1年以上長期入院患者数（65歳未満）',
      description: 'Long-stay (1 year+) psychiatric inpatients under 65 on 30 June (630 survey).',
    },
    INVOLUNTARY_ADMISSIONS: {
      label: '措置入院患者数',
      description: "Inpatients admitted by the prefectural governor's order (措置入院, Mental Health and Welfare Act art. 29) on 30 June (630 survey).",
    },
    MEDICAL_PROTECTION_ADMISSIONS: {
      label: '医療保護入院患者数',
      description: 'Inpatients admitted for medical care and protection (医療保護入院, art. 33) on 30 June (630 survey).',
    },
    PSYCHIATRIC_BEDS: { label: '精神病床数', description: 'Psychiatric beds (精神病床) on 30 June (630 survey).' },
  },
});

export enum IndicatorStatus {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  NO_TARGET = 'NO_TARGET',
  NOT_AVAILABLE = 'NOT_AVAILABLE',
}
export const IndicatorStatusLabels = registerLabelledEnum(IndicatorStatus, {
  name: 'IndicatorStatus',
  description: "An indicator's value against its target.",
  values: {
    MET: { label: '達成', description: 'The value meets the target.' },
    NOT_MET: { label: '未達成', description: 'The value falls short of the target.' },
    NO_TARGET: { label: '目標なし', description: 'There is a value but no target for this fiscal year (or tier).' },
    NOT_AVAILABLE: {
      label: 'データなし',
      description: 'No value: not reported, not applicable at this tier, or its source is not wired yet (`note` says which).',
    },
  },
});

export enum Comparator {
  AT_LEAST = 'AT_LEAST',
  AT_MOST = 'AT_MOST',
}
export const ComparatorLabels = registerLabelledEnum(Comparator, {
  name: 'Comparator',
  description: 'How a value is compared with its target.',
  values: {
    AT_LEAST: { label: '以上', description: 'Met when the value is at least the target (≥).' },
    AT_MOST: { label: '以下', description: 'Met when the value is at most the target (≤).' },
  },
});

export enum EvaluationTier {
  MUNICIPALITY = 'MUNICIPALITY',
  PREFECTURE = 'PREFECTURE',
  NATION = 'NATION',
}
export const EvaluationTierLabels = registerLabelledEnum(EvaluationTier, {
  name: 'EvaluationTier',
  description:
    'The tier an evaluation is computed for: a municipality itself, a prefecture rolled up over its area, or the nation rolled up over the prefectures.',
  values: {
    MUNICIPALITY: { label: '市町村', description: 'A municipality (designated cities, special wards and health-centre cities included), its own values.' },
    PREFECTURE: { label: '都道府県', description: 'A prefecture: its own values plus roll-ups over the municipalities of its area.' },
    NATION: { label: '全国', description: 'The nation: roll-ups over the 47 prefectures and their areas.' },
  },
});

/**
 * The lifecycle of a support request (FHIR Task vocabulary). ACCEPTED is reached only by assigning an
 * adviser (`assignSupportRequest`); every other move goes through `transitionSupportRequest`.
 */
export const SUPPORT_REQUEST_TRANSITIONS: Readonly<Record<SupportRequestStatus, readonly SupportRequestStatus[]>> = {
  [SupportRequestStatus.REQUESTED]: [SupportRequestStatus.ACCEPTED, SupportRequestStatus.REJECTED, SupportRequestStatus.CANCELLED],
  [SupportRequestStatus.ACCEPTED]: [SupportRequestStatus.IN_PROGRESS, SupportRequestStatus.CANCELLED],
  [SupportRequestStatus.IN_PROGRESS]: [SupportRequestStatus.ON_HOLD, SupportRequestStatus.COMPLETED, SupportRequestStatus.CANCELLED],
  [SupportRequestStatus.ON_HOLD]: [SupportRequestStatus.IN_PROGRESS, SupportRequestStatus.CANCELLED],
  [SupportRequestStatus.COMPLETED]: [],
  [SupportRequestStatus.REJECTED]: [],
  [SupportRequestStatus.CANCELLED]: [],
};

/** Every enum this subgraph owns, with its Japanese labels (served as `Labels.<enum>`). */
export const LABELLED_ENUMS: readonly LabelledEnum[] = [
  ProgramLabels,
  AdviserKindLabels,
  SupportModeLabels,
  SupportRequestStatusLabels,
  IndicatorCodeLabels,
  IndicatorStatusLabels,
  ComparatorLabels,
  EvaluationTierLabels,
];
