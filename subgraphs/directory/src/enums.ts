import { JurisdictionKind, registerLabelledEnum, type LabelledEnum, type LabelledValue } from '@nimo/kit';

/** Enum values equal their names, so the database, TypeScript and GraphQL all spell them alike. */

// The kinds are defined with the national code list in the kit; the directory publishes the GraphQL enum.
export { JurisdictionKind };

export const JurisdictionKindLabels = registerLabelledEnum(JurisdictionKind, {
  name: 'JurisdictionKind',
  description: 'What kind of local government a jurisdiction is.',
  values: {
    PREFECTURE: { label: '都道府県', description: 'one of the 47 prefectures.' },
    DESIGNATED_CITY: {
      label: '指定都市',
      description: 'one of the 20 designated cities; has administrative wards and runs its own public health centre and mental health and welfare centre.',
    },
    CORE_CITY: { label: '中核市', description: 'a core city (62 in 2023); runs its own public health centre.' },
    SPECIAL_WARD: { label: '特別区', description: 'one of the 23 special wards of Tokyo; a municipality that runs its own public health centre.' },
    OTHER_CITY: { label: '市', description: 'any other city (including the health-centre cities that are not core cities).' },
    TOWN: { label: '町', description: 'a town.' },
    VILLAGE: { label: '村', description: 'a village.' },
    ADMINISTRATIVE_WARD: { label: '行政区', description: 'an administrative ward of a designated city (not a municipality of its own).' },
  },
});

/** Kinds that are municipalities (市区町村) in their own right. */
export const MUNICIPAL_KINDS: readonly JurisdictionKind[] = [
  JurisdictionKind.DESIGNATED_CITY,
  JurisdictionKind.CORE_CITY,
  JurisdictionKind.SPECIAL_WARD,
  JurisdictionKind.OTHER_CITY,
  JurisdictionKind.TOWN,
  JurisdictionKind.VILLAGE,
];

export enum ServiceCategory {
  CONSULTATION = 'CONSULTATION',
  MEDICAL = 'MEDICAL',
  DISABILITY_WELFARE = 'DISABILITY_WELFARE',
  LONG_TERM_CARE = 'LONG_TERM_CARE',
  HOUSING = 'HOUSING',
  EMPLOYMENT = 'EMPLOYMENT',
  MUTUAL_AID = 'MUTUAL_AID',
}

export const ServiceCategoryLabels = registerLabelledEnum(ServiceCategory, {
  name: 'ServiceCategory',
  description: "The fields of support in the community-based integrated care system (the seed's picture).",
  values: {
    CONSULTATION: { label: '相談', description: 'consultation desks and consultation support, first and second line.' },
    MEDICAL: { label: '医療', description: 'medical care, outpatient and inpatient.' },
    DISABILITY_WELFARE: { label: '障害福祉', description: 'disability welfare services.' },
    LONG_TERM_CARE: { label: '介護', description: 'long-term-care insurance services.' },
    HOUSING: { label: '住まい', description: 'housing and housing support.' },
    EMPLOYMENT: { label: '社会参加（就労）', description: 'social participation and work.' },
    MUTUAL_AID: {
      label: '地域の助け合い',
      description: 'mutual aid in the community: peer support and self-help groups run by and for people with lived experience and their families.',
    },
  },
});

export enum ServiceKind {
  // consultation, first line
  MUNICIPAL_MENTAL_HEALTH_DESK = 'MUNICIPAL_MENTAL_HEALTH_DESK',
  CORE_CONSULTATION_SUPPORT_CENTRE = 'CORE_CONSULTATION_SUPPORT_CENTRE',
  COMMUNITY_GENERAL_SUPPORT_CENTRE = 'COMMUNITY_GENERAL_SUPPORT_CENTRE',
  PLAN_CONSULTATION_SUPPORT = 'PLAN_CONSULTATION_SUPPORT',
  COMMUNITY_CONSULTATION_SUPPORT = 'COMMUNITY_CONSULTATION_SUPPORT',
  // consultation, second line
  PUBLIC_HEALTH_CENTRE = 'PUBLIC_HEALTH_CENTRE',
  MENTAL_HEALTH_WELFARE_CENTRE = 'MENTAL_HEALTH_WELFARE_CENTRE',
  DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE = 'DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE',
  // medical
  FAMILY_DOCTOR = 'FAMILY_DOCTOR',
  CLINIC_WITH_BEDS = 'CLINIC_WITH_BEDS',
  PSYCHIATRIC_DAY_CARE = 'PSYCHIATRIC_DAY_CARE',
  PSYCHIATRIC_HOME_VISIT_NURSING = 'PSYCHIATRIC_HOME_VISIT_NURSING',
  COMMUNITY_PARTNER_HOSPITAL = 'COMMUNITY_PARTNER_HOSPITAL',
  PSYCHIATRIC_HOSPITAL_ACUTE = 'PSYCHIATRIC_HOSPITAL_ACUTE',
  PSYCHIATRIC_HOSPITAL_RECOVERY = 'PSYCHIATRIC_HOSPITAL_RECOVERY',
  PSYCHIATRIC_HOSPITAL_CHRONIC = 'PSYCHIATRIC_HOSPITAL_CHRONIC',
  DENTAL = 'DENTAL',
  PHARMACY = 'PHARMACY',
  // long-term care
  HOME_VISIT_CARE = 'HOME_VISIT_CARE',
  HOME_VISIT_NURSING = 'HOME_VISIT_NURSING',
  DAY_SERVICE = 'DAY_SERVICE',
  SMALL_SCALE_MULTIFUNCTIONAL_HOME_CARE = 'SMALL_SCALE_MULTIFUNCTIONAL_HOME_CARE',
  SHORT_STAY = 'SHORT_STAY',
  WELFARE_EQUIPMENT = 'WELFARE_EQUIPMENT',
  ROUND_THE_CLOCK_HOME_VISIT = 'ROUND_THE_CLOCK_HOME_VISIT',
  PREVENTIVE_CARE = 'PREVENTIVE_CARE',
  SPECIAL_ELDERLY_NURSING_HOME = 'SPECIAL_ELDERLY_NURSING_HOME',
  LTC_HEALTH_FACILITY = 'LTC_HEALTH_FACILITY',
  DEMENTIA_GROUP_HOME = 'DEMENTIA_GROUP_HOME',
  // disability welfare
  DISABILITY_HOME_CARE = 'DISABILITY_HOME_CARE',
  DAILY_LIFE_CARE = 'DAILY_LIFE_CARE',
  DISABILITY_SHORT_STAY = 'DISABILITY_SHORT_STAY',
  CONTINUED_EMPLOYMENT_SUPPORT = 'CONTINUED_EMPLOYMENT_SUPPORT',
  INDEPENDENCE_TRAINING = 'INDEPENDENCE_TRAINING',
  INDEPENDENT_LIVING_ASSISTANCE = 'INDEPENDENT_LIVING_ASSISTANCE',
  FACILITY_ADMISSION_SUPPORT = 'FACILITY_ADMISSION_SUPPORT',
  GROUP_HOME = 'GROUP_HOME',
  RESIDENTIAL_INDEPENDENCE_TRAINING = 'RESIDENTIAL_INDEPENDENCE_TRAINING',
  COMMUNITY_LIFE_SUPPORT_HUB = 'COMMUNITY_LIFE_SUPPORT_HUB',
  // housing
  PUBLIC_HOUSING = 'PUBLIC_HOUSING',
  SERVICED_HOUSING_FOR_OLDER_PEOPLE = 'SERVICED_HOUSING_FOR_OLDER_PEOPLE',
  HOUSING_SUPPORT_CORPORATION = 'HOUSING_SUPPORT_CORPORATION',
  // employment
  EMPLOYMENT_LIFE_SUPPORT_CENTRE = 'EMPLOYMENT_LIFE_SUPPORT_CENTRE',
  HELLO_WORK = 'HELLO_WORK',
  // mutual aid
  PEER_SUPPORT = 'PEER_SUPPORT',
  SELF_HELP_GROUP = 'SELF_HELP_GROUP',
}

/** Each service kind, its category and its description: the one table the schema and the data use. */
export const SERVICE_KINDS: Record<ServiceKind, { category: ServiceCategory; description: string }> = {
  MUNICIPAL_MENTAL_HEALTH_DESK: {
    category: ServiceCategory.CONSULTATION,
    description: "市町村の精神保健・福祉一般相談: the municipality's general mental-health and welfare consultation desk.",
  },
  CORE_CONSULTATION_SUPPORT_CENTRE: {
    category: ServiceCategory.CONSULTATION,
    description: '基幹相談支援センター: core consultation support centre (disability).',
  },
  COMMUNITY_GENERAL_SUPPORT_CENTRE: {
    category: ServiceCategory.CONSULTATION,
    description: '地域包括支援センター: community general support centre (older people).',
  },
  PLAN_CONSULTATION_SUPPORT: { category: ServiceCategory.CONSULTATION, description: '計画相談支援: plan consultation support.' },
  COMMUNITY_CONSULTATION_SUPPORT: {
    category: ServiceCategory.CONSULTATION,
    description: '地域相談支援（地域移行・地域定着）: community consultation support (transition and settling in the community).',
  },
  PUBLIC_HEALTH_CENTRE: {
    category: ServiceCategory.CONSULTATION,
    description: '保健所: public health centre; specialist mental-health consultation (second line).',
  },
  MENTAL_HEALTH_WELFARE_CENTRE: {
    category: ServiceCategory.CONSULTATION,
    description: '精神保健福祉センター: mental health and welfare centre; complex and difficult cases (second line).',
  },
  DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE: {
    category: ServiceCategory.CONSULTATION,
    description: '発達障害者支援センター: developmental disabilities support centre (second line).',
  },
  FAMILY_DOCTOR: { category: ServiceCategory.MEDICAL, description: 'かかりつけ医: family doctor (including psychiatric clinics).' },
  CLINIC_WITH_BEDS: { category: ServiceCategory.MEDICAL, description: '有床診療所: clinic with beds.' },
  PSYCHIATRIC_DAY_CARE: { category: ServiceCategory.MEDICAL, description: '精神科デイケア: psychiatric day care.' },
  PSYCHIATRIC_HOME_VISIT_NURSING: { category: ServiceCategory.MEDICAL, description: '精神科訪問看護: psychiatric home-visit nursing.' },
  COMMUNITY_PARTNER_HOSPITAL: { category: ServiceCategory.MEDICAL, description: '地域の連携病院: community partner hospital.' },
  PSYCHIATRIC_HOSPITAL_ACUTE: { category: ServiceCategory.MEDICAL, description: '病院（急性期）: hospital, acute care.' },
  PSYCHIATRIC_HOSPITAL_RECOVERY: { category: ServiceCategory.MEDICAL, description: '病院（回復期）: hospital, recovery care.' },
  PSYCHIATRIC_HOSPITAL_CHRONIC: { category: ServiceCategory.MEDICAL, description: '病院（慢性期）: hospital, chronic care.' },
  DENTAL: { category: ServiceCategory.MEDICAL, description: '歯科医療: dental care.' },
  PHARMACY: { category: ServiceCategory.MEDICAL, description: '薬局: pharmacy.' },
  HOME_VISIT_CARE: { category: ServiceCategory.LONG_TERM_CARE, description: '訪問介護: home-visit care.' },
  HOME_VISIT_NURSING: { category: ServiceCategory.LONG_TERM_CARE, description: '訪問看護: home-visit nursing.' },
  DAY_SERVICE: { category: ServiceCategory.LONG_TERM_CARE, description: '通所介護: day service.' },
  SMALL_SCALE_MULTIFUNCTIONAL_HOME_CARE: {
    category: ServiceCategory.LONG_TERM_CARE,
    description: '小規模多機能型居宅介護: small-scale multifunctional home care.',
  },
  SHORT_STAY: { category: ServiceCategory.LONG_TERM_CARE, description: '短期入所生活介護: short stay.' },
  WELFARE_EQUIPMENT: { category: ServiceCategory.LONG_TERM_CARE, description: '福祉用具: welfare equipment.' },
  ROUND_THE_CLOCK_HOME_VISIT: { category: ServiceCategory.LONG_TERM_CARE, description: '24時間対応の訪問サービス: 24-hour home-visit service.' },
  PREVENTIVE_CARE: { category: ServiceCategory.LONG_TERM_CARE, description: '介護予防サービス: prevention services.' },
  SPECIAL_ELDERLY_NURSING_HOME: {
    category: ServiceCategory.LONG_TERM_CARE,
    description: '介護老人福祉施設（特別養護老人ホーム）: special elderly nursing home.',
  },
  LTC_HEALTH_FACILITY: { category: ServiceCategory.LONG_TERM_CARE, description: '介護老人保健施設: long-term-care health facility.' },
  DEMENTIA_GROUP_HOME: { category: ServiceCategory.LONG_TERM_CARE, description: '認知症共同生活介護: dementia group home.' },
  DISABILITY_HOME_CARE: { category: ServiceCategory.DISABILITY_WELFARE, description: '居宅介護: home care (disability).' },
  DAILY_LIFE_CARE: { category: ServiceCategory.DISABILITY_WELFARE, description: '生活介護: daily-life care.' },
  DISABILITY_SHORT_STAY: { category: ServiceCategory.DISABILITY_WELFARE, description: '短期入所: short stay (disability).' },
  CONTINUED_EMPLOYMENT_SUPPORT: { category: ServiceCategory.DISABILITY_WELFARE, description: '就労継続支援: continued employment support.' },
  INDEPENDENCE_TRAINING: { category: ServiceCategory.DISABILITY_WELFARE, description: '自立訓練: independence training.' },
  INDEPENDENT_LIVING_ASSISTANCE: { category: ServiceCategory.DISABILITY_WELFARE, description: '自立生活援助: independent-living assistance.' },
  FACILITY_ADMISSION_SUPPORT: { category: ServiceCategory.DISABILITY_WELFARE, description: '施設入所支援: facility admission support.' },
  GROUP_HOME: { category: ServiceCategory.DISABILITY_WELFARE, description: '共同生活援助（グループホーム）: group home.' },
  RESIDENTIAL_INDEPENDENCE_TRAINING: { category: ServiceCategory.DISABILITY_WELFARE, description: '宿泊型自立訓練: residential independence training.' },
  COMMUNITY_LIFE_SUPPORT_HUB: { category: ServiceCategory.DISABILITY_WELFARE, description: '地域生活支援拠点等: community life support hub.' },
  PUBLIC_HOUSING: { category: ServiceCategory.HOUSING, description: '公営住宅: public housing.' },
  SERVICED_HOUSING_FOR_OLDER_PEOPLE: { category: ServiceCategory.HOUSING, description: 'サービス付き高齢者向け住宅: serviced housing for older people.' },
  HOUSING_SUPPORT_CORPORATION: { category: ServiceCategory.HOUSING, description: '居住支援法人: housing-support corporation.' },
  EMPLOYMENT_LIFE_SUPPORT_CENTRE: {
    category: ServiceCategory.EMPLOYMENT,
    description: '障害者就業・生活支援センター: employment and life support centre for persons with disabilities (second line for work).',
  },
  HELLO_WORK: { category: ServiceCategory.EMPLOYMENT, description: 'ハローワーク: public employment security office (Hello Work).' },
  PEER_SUPPORT: {
    category: ServiceCategory.MUTUAL_AID,
    description:
      'ピアサポート: peer support; peer supporters (ピアサポーター), people with lived experience of mental illness, support others from that experience (in groups, visits and at hospitals for community transition).',
  },
  SELF_HELP_GROUP: {
    category: ServiceCategory.MUTUAL_AID,
    description:
      'セルフヘルプグループ・地域の助け合い: self-help group or community mutual-aid group (当事者会, 家族会, neighbourhood mutual aid) that meets and helps its members without a professional service contract.',
  },
};

export const ServiceKindLabels = registerLabelledEnum(ServiceKind, {
  name: 'ServiceKind',
  description: "A service an organisation provides, from the seed's service taxonomy; each belongs to one `ServiceCategory`.",
  values: Object.fromEntries(
    Object.entries(SERVICE_KINDS).map(([k, v]) => {
      const [label, english] = v.description.split(': ') as [string, string];
      return [k, { label, description: `${english} Category: ${v.category}.` }];
    }),
  ) as Record<ServiceKind, LabelledValue>,
});

export enum ForumLevel {
  MUNICIPALITY = 'MUNICIPALITY',
  REGION = 'REGION',
  PREFECTURE = 'PREFECTURE',
}

export const ForumLevelLabels = registerLabelledEnum(ForumLevel, {
  name: 'ForumLevel',
  description: 'The tier a consultation forum (協議の場) serves.',
  values: {
    MUNICIPALITY: { label: '市町村', description: "A municipality's forum (市町村ごとの協議の場)." },
    REGION: { label: '障害保健福祉圏域', description: "A disability health and welfare region's forum (障害保健福祉圏域ごとの協議の場)." },
    PREFECTURE: { label: '都道府県', description: "A prefecture's forum (都道府県ごとの協議の場)." },
  },
});

export enum ForumMemberRole {
  ADMINISTRATION = 'ADMINISTRATION',
  PSYCHIATRIC_MEDICAL_INSTITUTION = 'PSYCHIATRIC_MEDICAL_INSTITUTION',
  OTHER_MEDICAL_INSTITUTION = 'OTHER_MEDICAL_INSTITUTION',
  COMMUNITY_SUPPORT_PROVIDER = 'COMMUNITY_SUPPORT_PROVIDER',
  PERSON_WITH_LIVED_EXPERIENCE = 'PERSON_WITH_LIVED_EXPERIENCE',
  PEER_SUPPORTER = 'PEER_SUPPORTER',
  FAMILY = 'FAMILY',
  HOUSING_SUPPORT = 'HOUSING_SUPPORT',
  CONSTRUCTION_PROMOTION_SUPPORTER = 'CONSTRUCTION_PROMOTION_SUPPORTER',
}

export const ForumMemberRoleLabels = registerLabelledEnum(ForumMemberRole, {
  name: 'ForumMemberRole',
  description: 'The part a member plays in a consultation forum.',
  values: {
    ADMINISTRATION: { label: '行政', description: 'the administration (municipality, prefecture, public health centre).' },
    PSYCHIATRIC_MEDICAL_INSTITUTION: { label: '精神科医療機関', description: 'psychiatric medical institution.' },
    OTHER_MEDICAL_INSTITUTION: { label: 'その他の医療機関', description: 'other medical institution.' },
    COMMUNITY_SUPPORT_PROVIDER: { label: '地域援助事業者（指定一般・特定相談支援事業者）', description: 'community support provider.' },
    PERSON_WITH_LIVED_EXPERIENCE: { label: '当事者', description: 'person with lived experience.' },
    PEER_SUPPORTER: { label: 'ピアサポーター', description: 'peer supporter.' },
    FAMILY: { label: '家族', description: 'family member.' },
    HOUSING_SUPPORT: { label: '居住支援関係者', description: 'housing-support actor.' },
    CONSTRUCTION_PROMOTION_SUPPORTER: { label: '構築推進サポーター', description: 'construction promotion supporter backing the forum.' },
  },
});

export enum DayOfWeek {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
  HOLIDAY = 'HOLIDAY',
}

export const DayOfWeekLabels = registerLabelledEnum(DayOfWeek, {
  name: 'DayOfWeek',
  description: 'A day of the week; HOLIDAY is a Japanese public holiday (祝日).',
  values: {
    MONDAY: { label: '月', description: 'Monday.' },
    TUESDAY: { label: '火', description: 'Tuesday.' },
    WEDNESDAY: { label: '水', description: 'Wednesday.' },
    THURSDAY: { label: '木', description: 'Thursday.' },
    FRIDAY: { label: '金', description: 'Friday.' },
    SATURDAY: { label: '土', description: 'Saturday.' },
    SUNDAY: { label: '日', description: 'Sunday.' },
    HOLIDAY: { label: '祝日', description: 'A Japanese public holiday.' },
  },
});

export enum ForumCycleStage {
  PLANNED = 'PLANNED',
  CHECKED = 'CHECKED',
  ACTED = 'ACTED',
}

export const ForumCycleStageLabels = registerLabelledEnum(ForumCycleStage, {
  name: 'ForumCycleStage',
  description: "How far a forum's PDCA cycle for a fiscal year has come.",
  values: {
    PLANNED: { label: '計画', description: "goals and indicators set (Plan); the year's meetings are the Do." },
    CHECKED: { label: '評価', description: 'results checked against the evaluation of construction status (Check).' },
    ACTED: { label: '改善', description: 'actions taken on the findings (Act).' },
  },
});

/** Every enum this subgraph owns, with its Japanese labels (served as `Labels.<enum>`). */
export const LABELLED_ENUMS: readonly LabelledEnum[] = [
  JurisdictionKindLabels,
  ServiceCategoryLabels,
  ServiceKindLabels,
  ForumLevelLabels,
  ForumMemberRoleLabels,
  DayOfWeekLabels,
  ForumCycleStageLabels,
];
