import { registerEnumType } from 'type-graphql';

/** Enum values equal their names, so the database, TypeScript and GraphQL all spell them alike. */

export enum Program {
  CONSTRUCTION_PROMOTION = 'CONSTRUCTION_PROMOTION',
  CONSTRUCTION_SUPPORT = 'CONSTRUCTION_SUPPORT',
}
registerEnumType(Program, {
  name: 'Program',
  description: 'The two national programs of 「にも包括」 (MHLW; see the seed document). Either can run alone.',
  valuesConfig: {
    CONSTRUCTION_PROMOTION: {
      description:
        '精神障害にも対応した地域包括ケアシステムの構築推進事業 (construction promotion program, part of 地域生活支援促進事業): run by ' +
        'prefectures, designated cities, special wards and health-centre cities; 14 items, item 1 (a consultation forum) mandatory.',
    },
    CONSTRUCTION_SUPPORT: {
      description:
        '精神障害にも対応した地域包括ケアシステムの構築支援事業 (construction support program): the nation\'s adviser organisation ' +
        'supports the prefectures, designated cities and special wards that take part.',
    },
  },
});

export enum AdviserKind {
  WIDE_AREA = 'WIDE_AREA',
  PREFECTURE_EMBEDDED = 'PREFECTURE_EMBEDDED',
}
registerEnumType(AdviserKind, {
  name: 'AdviserKind',
  description: 'The two kinds of adviser of the national adviser organisation (国（アドバイザー組織）).',
  valuesConfig: {
    WIDE_AREA: { description: '広域アドバイザー: wide-area adviser, advises prefectures and cities across the country.' },
    PREFECTURE_EMBEDDED: { description: '都道府県等密着アドバイザー: adviser embedded in one prefecture or city, works with it day to day.' },
  },
});

export enum SupportMode {
  ONLINE = 'ONLINE',
  PHONE = 'PHONE',
  EMAIL = 'EMAIL',
  ON_SITE_TECHNICAL_ADVICE = 'ON_SITE_TECHNICAL_ADVICE',
  PREFECTURAL_TRAINING = 'PREFECTURAL_TRAINING',
}
registerEnumType(SupportMode, {
  name: 'SupportMode',
  description: 'How the adviser organisation supports a jurisdiction (the seed: 個別相談・支援（オンライン、電話、メール）、現地での技術的助言、都道府県等研修への協力).',
  valuesConfig: {
    ONLINE: { description: '個別相談・支援（オンライン）: individual consultation online.' },
    PHONE: { description: '個別相談・支援（電話）: individual consultation by phone.' },
    EMAIL: { description: '個別相談・支援（メール）: individual consultation by e-mail.' },
    ON_SITE_TECHNICAL_ADVICE: { description: '現地での技術的助言: technical advice on site.' },
    PREFECTURAL_TRAINING: { description: '都道府県等研修への協力: help with a training run by the prefecture or city.' },
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
registerEnumType(SupportRequestStatus, {
  name: 'SupportRequestStatus',
  description:
    'Where a support request stands (vocabulary after HL7 FHIR Task.status). Allowed moves: REQUESTED → ACCEPTED (by assigning ' +
    'an adviser) | REJECTED | CANCELLED; ACCEPTED → IN_PROGRESS | CANCELLED; IN_PROGRESS → ON_HOLD | COMPLETED | CANCELLED; ' +
    'ON_HOLD → IN_PROGRESS | CANCELLED. COMPLETED, REJECTED and CANCELLED are final.',
  valuesConfig: {
    REQUESTED: { description: 'Filed by the jurisdiction; no adviser yet.' },
    ACCEPTED: { description: 'The adviser organisation accepted it and assigned an adviser.' },
    IN_PROGRESS: { description: 'The adviser is working on it.' },
    ON_HOLD: { description: 'Paused (e.g. waiting for the jurisdiction).' },
    COMPLETED: { description: 'Done; the outcome is recorded.' },
    REJECTED: { description: 'Declined by the adviser organisation, with a reason.' },
    CANCELLED: { description: 'Withdrawn by the jurisdiction or closed by the adviser organisation before completion.' },
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
}
registerEnumType(IndicatorCode, {
  name: 'IndicatorCode',
  description: 'The indicators of the evaluation of construction status (構築状況の評価); see `evaluationIndicators` for definitions, targets and sources.',
  valuesConfig: {
    FORUM_PREFECTURE: { description: 'A prefecture-tier consultation forum is set up (from the directory).' },
    FORUM_REGION: { description: 'Share of disability health and welfare regions with a forum, % (from the directory).' },
    FORUM_MUNICIPALITY: { description: 'Share of municipalities with their own forum, % (from the directory).' },
    ITEMS_IMPLEMENTED: { description: 'Items of the construction promotion program implemented (this subgraph).' },
    CONSULTATION_SUPPORT: { description: 'Share of municipalities with mental-health consultation support in place, % (reported; this subgraph).' },
    STAFF_TRAINED: { description: 'Staff trained, cumulative (from the training subgraph).' },
    COMMUNITY_DAYS_AFTER_DISCHARGE: { description: 'Average days lived in the community within one year of discharge from a psychiatric bed.' },
    LONG_STAY_INPATIENTS: { description: 'Long-stay (1 year+) psychiatric inpatients.' },
    DISCHARGE_RATE_3_MONTHS: { description: 'Discharge rate 3 months after admission, %.' },
    DISCHARGE_RATE_6_MONTHS: { description: 'Discharge rate 6 months after admission, %.' },
    DISCHARGE_RATE_12_MONTHS: { description: 'Discharge rate 12 months after admission, %.' },
  },
});

export enum IndicatorStatus {
  MET = 'MET',
  NOT_MET = 'NOT_MET',
  NO_TARGET = 'NO_TARGET',
  NOT_AVAILABLE = 'NOT_AVAILABLE',
}
registerEnumType(IndicatorStatus, {
  name: 'IndicatorStatus',
  description: 'An indicator\'s value against its target.',
  valuesConfig: {
    MET: { description: 'The value meets the target.' },
    NOT_MET: { description: 'The value falls short of the target.' },
    NO_TARGET: { description: 'There is a value but no target for this fiscal year (or tier).' },
    NOT_AVAILABLE: { description: 'No value: not reported, not applicable at this tier, or its source is not wired yet (`note` says which).' },
  },
});

export enum Comparator {
  AT_LEAST = 'AT_LEAST',
  AT_MOST = 'AT_MOST',
}
registerEnumType(Comparator, {
  name: 'Comparator',
  description: 'How a value is compared with its target.',
  valuesConfig: {
    AT_LEAST: { description: 'Met when the value is at least the target (≥).' },
    AT_MOST: { description: 'Met when the value is at most the target (≤).' },
  },
});

export enum EvaluationTier {
  MUNICIPALITY = 'MUNICIPALITY',
  PREFECTURE = 'PREFECTURE',
  NATION = 'NATION',
}
registerEnumType(EvaluationTier, {
  name: 'EvaluationTier',
  description: 'The tier an evaluation is computed for: a municipality itself, a prefecture rolled up over its area, or the nation rolled up over the prefectures.',
  valuesConfig: {
    MUNICIPALITY: { description: 'A municipality (designated cities, special wards and health-centre cities included), its own values.' },
    PREFECTURE: { description: 'A prefecture: its own values plus roll-ups over the municipalities of its area.' },
    NATION: { description: 'The nation: roll-ups over the 47 prefectures and their areas.' },
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
