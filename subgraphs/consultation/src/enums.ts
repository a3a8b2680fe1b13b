import { registerLabelledEnum, type LabelledEnum } from '@nimo/kit';

/** Enum values equal their names, so the database, TypeScript and GraphQL all spell them alike. */

export enum AgeBand {
  UNDER_20 = 'UNDER_20',
  AGE_20S = 'AGE_20S',
  AGE_30S = 'AGE_30S',
  AGE_40S = 'AGE_40S',
  AGE_50S = 'AGE_50S',
  AGE_60S = 'AGE_60S',
  AGE_70S = 'AGE_70S',
  AGE_80_AND_OVER = 'AGE_80_AND_OVER',
  UNKNOWN = 'UNKNOWN',
}
export const AgeBandLabels = registerLabelledEnum(AgeBand, {
  name: 'AgeBand',
  description: 'Age band of the person consulting (no date of birth is kept).',
  values: {
    UNDER_20: { label: '20歳未満', description: 'Under 20.' },
    AGE_20S: { label: '20代', description: '20–29.' },
    AGE_30S: { label: '30代', description: '30–39.' },
    AGE_40S: { label: '40代', description: '40–49.' },
    AGE_50S: { label: '50代', description: '50–59.' },
    AGE_60S: { label: '60代', description: '60–69.' },
    AGE_70S: { label: '70代', description: '70–79.' },
    AGE_80_AND_OVER: { label: '80歳以上', description: '80 and over.' },
    UNKNOWN: { label: '不明', description: 'Not known or not given.' },
  },
});

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}
export const SexLabels = registerLabelledEnum(Sex, {
  name: 'Sex',
  description: 'Sex of the person consulting, as they state it.',
  values: {
    FEMALE: { label: '女性', description: 'Female.' },
    MALE: { label: '男性', description: 'Male.' },
    OTHER: { label: 'その他', description: 'Another answer.' },
    UNKNOWN: { label: '不明', description: 'Not known or not given.' },
  },
});

export enum Need {
  MENTAL_HEALTH = 'MENTAL_HEALTH',
  DEVELOPMENTAL = 'DEVELOPMENTAL',
  DEMENTIA = 'DEMENTIA',
  ADDICTION = 'ADDICTION',
  SUICIDE_RISK = 'SUICIDE_RISK',
  EMPLOYMENT = 'EMPLOYMENT',
  HOUSING = 'HOUSING',
  FAMILY = 'FAMILY',
  HARDSHIP = 'HARDSHIP',
  MATERNAL_CHILD_HEALTH = 'MATERNAL_CHILD_HEALTH',
  OTHER = 'OTHER',
}
export const NeedLabels = registerLabelledEnum(Need, {
  name: 'Need',
  description: 'A field of need a case touches (a case may touch several): the fields of consultation the domain page lists.',
  values: {
    MENTAL_HEALTH: { label: '精神保健', description: 'mental health.' },
    DEVELOPMENTAL: { label: '発達障害', description: 'developmental disability.' },
    DEMENTIA: { label: '認知症', description: 'dementia.' },
    ADDICTION: { label: '依存症', description: 'addiction (alcohol, drugs, gambling, …).' },
    SUICIDE_RISK: { label: '自殺対策', description: 'suicide risk.' },
    EMPLOYMENT: { label: '就労', description: 'employment.' },
    HOUSING: { label: '住まい', description: 'housing.' },
    FAMILY: { label: '家族', description: 'family (incl. care of a family member).' },
    HARDSHIP: { label: '生活困窮', description: 'financial or living hardship.' },
    MATERNAL_CHILD_HEALTH: { label: '母子保健', description: 'maternal and child health.' },
    OTHER: { label: 'その他', description: 'Another field.' },
  },
});

export enum ContactChannel {
  VISIT = 'VISIT',
  PHONE = 'PHONE',
  ONLINE = 'ONLINE',
  EMAIL = 'EMAIL',
  OUTREACH = 'OUTREACH',
}
export const ContactChannelLabels = registerLabelledEnum(ContactChannel, {
  name: 'ContactChannel',
  description: 'How a contact with the person took place.',
  values: {
    VISIT: { label: '来所', description: 'the person came to the desk.' },
    PHONE: { label: '電話', description: 'by phone.' },
    ONLINE: { label: 'オンライン', description: 'by video call or chat.' },
    EMAIL: { label: 'メール', description: 'by e-mail.' },
    OUTREACH: { label: '訪問・アウトリーチ', description: 'a home visit or outreach by staff.' },
  },
});

export enum CaseStatus {
  OPEN = 'OPEN',
  REFERRED = 'REFERRED',
  CLOSED = 'CLOSED',
}
export const CaseStatusLabels = registerLabelledEnum(CaseStatus, {
  name: 'CaseStatus',
  description: 'Where a case stands.',
  values: {
    OPEN: { label: '対応中', description: 'Being supported by the municipal desk.' },
    REFERRED: { label: 'つなぎ中', description: 'At least one referral to the second line is open (requested, accepted or in progress).' },
    CLOSED: { label: '終結', description: 'Closed, with a reason; may be reopened.' },
  },
});

export enum CloseReason {
  RESOLVED = 'RESOLVED',
  CONTINUING_ELSEWHERE = 'CONTINUING_ELSEWHERE',
  WITHDREW = 'WITHDREW',
  MOVED_AWAY = 'MOVED_AWAY',
  NO_CONTACT = 'NO_CONTACT',
  OTHER = 'OTHER',
}
export const CloseReasonLabels = registerLabelledEnum(CloseReason, {
  name: 'CloseReason',
  description: 'Why a case was closed.',
  values: {
    RESOLVED: { label: '解決', description: 'The need was met.' },
    CONTINUING_ELSEWHERE: { label: '他機関で支援継続', description: 'Support continues with another organisation (after a referral).' },
    WITHDREW: { label: '本人の希望で終了', description: 'The person no longer wishes support.' },
    MOVED_AWAY: { label: '転出', description: 'The person moved out of the municipality.' },
    NO_CONTACT: { label: '連絡不通', description: 'The person could not be reached.' },
    OTHER: { label: 'その他', description: 'Another reason.' },
  },
});

export enum ReferralTarget {
  PUBLIC_HEALTH_CENTRE = 'PUBLIC_HEALTH_CENTRE',
  MENTAL_HEALTH_WELFARE_CENTRE = 'MENTAL_HEALTH_WELFARE_CENTRE',
  DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE = 'DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE',
  EMPLOYMENT_LIFE_SUPPORT_CENTRE = 'EMPLOYMENT_LIFE_SUPPORT_CENTRE',
  HELLO_WORK = 'HELLO_WORK',
  MEDICAL_INSTITUTION = 'MEDICAL_INSTITUTION',
  CORE_CONSULTATION_SUPPORT_CENTRE = 'CORE_CONSULTATION_SUPPORT_CENTRE',
  COMMUNITY_GENERAL_SUPPORT_CENTRE = 'COMMUNITY_GENERAL_SUPPORT_CENTRE',
  CONSULTATION_SUPPORT_PROVIDER = 'CONSULTATION_SUPPORT_PROVIDER',
  PSYCHIATRIC_HOSPITAL = 'PSYCHIATRIC_HOSPITAL',
  MUNICIPALITY = 'MUNICIPALITY',
}
export const ReferralTargetLabels = registerLabelledEnum(ReferralTarget, {
  name: 'ReferralTarget',
  description:
    'The kind of organisation at one end of a referral: the receiver of a referral the municipality makes (`target`), or ' +
    'the sender of one made to the municipality (`fromKind`). MUNICIPALITY is the municipal desk itself.',
  values: {
    PUBLIC_HEALTH_CENTRE: { label: '保健所', description: 'public health centre.' },
    MENTAL_HEALTH_WELFARE_CENTRE: { label: '精神保健福祉センター', description: 'mental health and welfare centre.' },
    DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE: { label: '発達障害者支援センター', description: 'developmental disabilities support centre.' },
    EMPLOYMENT_LIFE_SUPPORT_CENTRE: { label: '障害者就業・生活支援センター', description: 'employment and life support centre.' },
    HELLO_WORK: { label: 'ハローワーク', description: 'public employment security office.' },
    MEDICAL_INSTITUTION: { label: '医療機関', description: 'a hospital or clinic.' },
    CORE_CONSULTATION_SUPPORT_CENTRE: { label: '基幹相談支援センター', description: 'core consultation support centre (disability).' },
    COMMUNITY_GENERAL_SUPPORT_CENTRE: { label: '地域包括支援センター', description: 'community general support centre (older people).' },
    CONSULTATION_SUPPORT_PROVIDER: {
      label: '相談支援事業者',
      description: 'a plan or community consultation support provider (指定特定・一般相談支援事業者).',
    },
    PSYCHIATRIC_HOSPITAL: {
      label: '精神科病院',
      description: 'a psychiatric hospital, e.g. support after discharge from an involuntary admission (措置入院, program item 7).',
    },
    MUNICIPALITY: { label: '市町村', description: 'the municipal consultation desk (the receiver of a referral back from the second line).' },
  },
});

export enum ReferralDirection {
  FROM_MUNICIPALITY = 'FROM_MUNICIPALITY',
  TO_MUNICIPALITY = 'TO_MUNICIPALITY',
}
export const ReferralDirectionLabels = registerLabelledEnum(ReferralDirection, {
  name: 'ReferralDirection',
  description: 'Which way a referral goes between the municipality and another organisation.',
  values: {
    FROM_MUNICIPALITY: {
      label: '市町村から',
      description: 'The municipal desk referred its case to another organisation (`referCase`); that organisation answers.',
    },
    TO_MUNICIPALITY: {
      label: '市町村へ',
      description:
        'Another organisation (public health centre, mental health and welfare centre, hospital, …) referred a person to the municipal desk (`referToMunicipality`); the municipality answers.',
    },
  },
});

/**
 * The directory services (ServiceKind) a receiving organisation must provide for each kind of
 * referral: a referral to a public health centre must name an organisation that is one. Checked with
 * the directory when the referral is made (kit DirectoryClient).
 */
export const RECEIVER_SERVICES: Readonly<Record<ReferralTarget, readonly string[]>> = {
  PUBLIC_HEALTH_CENTRE: ['PUBLIC_HEALTH_CENTRE'],
  MENTAL_HEALTH_WELFARE_CENTRE: ['MENTAL_HEALTH_WELFARE_CENTRE'],
  DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE: ['DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE'],
  EMPLOYMENT_LIFE_SUPPORT_CENTRE: ['EMPLOYMENT_LIFE_SUPPORT_CENTRE'],
  HELLO_WORK: ['HELLO_WORK'],
  // 医療機関: hospitals and clinics (the directory's MEDICAL category but for home-visit nursing and pharmacies).
  MEDICAL_INSTITUTION: [
    'FAMILY_DOCTOR',
    'CLINIC_WITH_BEDS',
    'PSYCHIATRIC_DAY_CARE',
    'COMMUNITY_PARTNER_HOSPITAL',
    'PSYCHIATRIC_HOSPITAL_ACUTE',
    'PSYCHIATRIC_HOSPITAL_RECOVERY',
    'PSYCHIATRIC_HOSPITAL_CHRONIC',
    'DENTAL',
  ],
  CORE_CONSULTATION_SUPPORT_CENTRE: ['CORE_CONSULTATION_SUPPORT_CENTRE'],
  COMMUNITY_GENERAL_SUPPORT_CENTRE: ['COMMUNITY_GENERAL_SUPPORT_CENTRE'],
  CONSULTATION_SUPPORT_PROVIDER: ['PLAN_CONSULTATION_SUPPORT', 'COMMUNITY_CONSULTATION_SUPPORT'],
  PSYCHIATRIC_HOSPITAL: ['PSYCHIATRIC_HOSPITAL_ACUTE', 'PSYCHIATRIC_HOSPITAL_RECOVERY', 'PSYCHIATRIC_HOSPITAL_CHRONIC'],
  MUNICIPALITY: ['MUNICIPAL_MENTAL_HEALTH_DESK'],
};

/** The directory services of an organisation where a municipality opens a case (its consultation desk). */
export const DESK_SERVICES: readonly string[] = ['MUNICIPAL_MENTAL_HEALTH_DESK'];

export enum ReferralStatus {
  REQUESTED = 'REQUESTED',
  ACCEPTED = 'ACCEPTED',
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
}
export const ReferralStatusLabels = registerLabelledEnum(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    'Where a referral stands (after HL7 FHIR Task.status). REQUESTED → ACCEPTED → IN_PROGRESS → COMPLETED; the receiving ' +
    'organisation may decline a requested referral (DECLINED); the municipality may cancel one not yet completed (CANCELLED).',
  values: {
    REQUESTED: { label: '依頼中', description: 'Sent by the municipality; awaiting the receiving organisation.' },
    ACCEPTED: { label: '受理', description: 'The receiving organisation accepted it.' },
    IN_PROGRESS: { label: '支援中', description: 'The receiving organisation is supporting the person.' },
    COMPLETED: {
      label: '完了（戻し）',
      description: 'Support by the receiving organisation ended and the case went back to the municipality, with an outcome.',
    },
    DECLINED: { label: '辞退', description: 'The receiving organisation declined it, with a reason.' },
    CANCELLED: { label: '取消', description: 'The municipality withdrew it.' },
  },
});

/** Referral states in which the receiving organisation sees the referral and the case summary. */
export const OPEN_REFERRAL_STATUSES: readonly ReferralStatus[] = [ReferralStatus.REQUESTED, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS];

/** The referral state machine: who may move it, and where to. */
export const REFERRAL_TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  [ReferralStatus.REQUESTED]: [ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED],
  [ReferralStatus.ACCEPTED]: [ReferralStatus.IN_PROGRESS, ReferralStatus.CANCELLED],
  [ReferralStatus.IN_PROGRESS]: [ReferralStatus.COMPLETED, ReferralStatus.CANCELLED],
  [ReferralStatus.COMPLETED]: [],
  [ReferralStatus.DECLINED]: [],
  [ReferralStatus.CANCELLED]: [],
};

/** Every enum this subgraph owns, with its Japanese labels (served as `Labels.<enum>`). */
export const LABELLED_ENUMS: readonly LabelledEnum[] = [
  AgeBandLabels,
  SexLabels,
  NeedLabels,
  ContactChannelLabels,
  CaseStatusLabels,
  CloseReasonLabels,
  ReferralTargetLabels,
  ReferralDirectionLabels,
  ReferralStatusLabels,
];
