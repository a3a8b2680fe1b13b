import { registerEnumType } from 'type-graphql';

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
registerEnumType(AgeBand, {
  name: 'AgeBand',
  description: 'Age band of the person consulting (no date of birth is kept).',
  valuesConfig: {
    UNDER_20: { description: 'Under 20.' },
    AGE_20S: { description: '20–29.' },
    AGE_30S: { description: '30–39.' },
    AGE_40S: { description: '40–49.' },
    AGE_50S: { description: '50–59.' },
    AGE_60S: { description: '60–69.' },
    AGE_70S: { description: '70–79.' },
    AGE_80_AND_OVER: { description: '80 and over.' },
    UNKNOWN: { description: 'Not known or not given.' },
  },
});

export enum Sex {
  FEMALE = 'FEMALE',
  MALE = 'MALE',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(Sex, {
  name: 'Sex',
  description: 'Sex of the person consulting, as they state it.',
  valuesConfig: {
    FEMALE: { description: 'Female.' },
    MALE: { description: 'Male.' },
    OTHER: { description: 'Another answer.' },
    UNKNOWN: { description: 'Not known or not given.' },
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
registerEnumType(Need, {
  name: 'Need',
  description: 'A field of need a case touches (a case may touch several): the fields of consultation the domain page lists.',
  valuesConfig: {
    MENTAL_HEALTH: { description: '精神保健: mental health.' },
    DEVELOPMENTAL: { description: '発達障害: developmental disability.' },
    DEMENTIA: { description: '認知症: dementia.' },
    ADDICTION: { description: '依存症: addiction (alcohol, drugs, gambling, …).' },
    SUICIDE_RISK: { description: '自殺対策: suicide risk.' },
    EMPLOYMENT: { description: '就労: employment.' },
    HOUSING: { description: '住まい: housing.' },
    FAMILY: { description: '家族: family (incl. care of a family member).' },
    HARDSHIP: { description: '生活困窮: financial or living hardship.' },
    MATERNAL_CHILD_HEALTH: { description: '母子保健: maternal and child health.' },
    OTHER: { description: 'Another field.' },
  },
});

export enum ContactChannel {
  VISIT = 'VISIT',
  PHONE = 'PHONE',
  ONLINE = 'ONLINE',
  EMAIL = 'EMAIL',
  OUTREACH = 'OUTREACH',
}
registerEnumType(ContactChannel, {
  name: 'ContactChannel',
  description: 'How a contact with the person took place.',
  valuesConfig: {
    VISIT: { description: '来所: the person came to the desk.' },
    PHONE: { description: '電話: by phone.' },
    ONLINE: { description: 'オンライン: by video call or chat.' },
    EMAIL: { description: 'メール: by e-mail.' },
    OUTREACH: { description: '訪問・アウトリーチ: a home visit or outreach by staff.' },
  },
});

export enum CaseStatus {
  OPEN = 'OPEN',
  REFERRED = 'REFERRED',
  CLOSED = 'CLOSED',
}
registerEnumType(CaseStatus, {
  name: 'CaseStatus',
  description: 'Where a case stands.',
  valuesConfig: {
    OPEN: { description: 'Being supported by the municipal desk.' },
    REFERRED: { description: 'At least one referral to the second line is open (requested, accepted or in progress).' },
    CLOSED: { description: 'Closed, with a reason; may be reopened.' },
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
registerEnumType(CloseReason, {
  name: 'CloseReason',
  description: 'Why a case was closed.',
  valuesConfig: {
    RESOLVED: { description: 'The need was met.' },
    CONTINUING_ELSEWHERE: { description: 'Support continues with another organisation (after a referral).' },
    WITHDREW: { description: 'The person no longer wishes support.' },
    MOVED_AWAY: { description: 'The person moved out of the municipality.' },
    NO_CONTACT: { description: 'The person could not be reached.' },
    OTHER: { description: 'Another reason.' },
  },
});

export enum ReferralTarget {
  PUBLIC_HEALTH_CENTRE = 'PUBLIC_HEALTH_CENTRE',
  MENTAL_HEALTH_WELFARE_CENTRE = 'MENTAL_HEALTH_WELFARE_CENTRE',
  DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE = 'DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE',
  EMPLOYMENT_LIFE_SUPPORT_CENTRE = 'EMPLOYMENT_LIFE_SUPPORT_CENTRE',
  HELLO_WORK = 'HELLO_WORK',
  MEDICAL_INSTITUTION = 'MEDICAL_INSTITUTION',
}
registerEnumType(ReferralTarget, {
  name: 'ReferralTarget',
  description: 'The kind of second-line organisation a case is referred to.',
  valuesConfig: {
    PUBLIC_HEALTH_CENTRE: { description: '保健所: public health centre.' },
    MENTAL_HEALTH_WELFARE_CENTRE: { description: '精神保健福祉センター: mental health and welfare centre.' },
    DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE: { description: '発達障害者支援センター: developmental disabilities support centre.' },
    EMPLOYMENT_LIFE_SUPPORT_CENTRE: { description: '障害者就業・生活支援センター: employment and life support centre.' },
    HELLO_WORK: { description: 'ハローワーク: public employment security office.' },
    MEDICAL_INSTITUTION: { description: '医療機関: a hospital or clinic.' },
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
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description:
    'Where a referral stands (after HL7 FHIR Task.status). REQUESTED → ACCEPTED → IN_PROGRESS → COMPLETED; the receiving ' +
    'organisation may decline a requested referral (DECLINED); the municipality may cancel one not yet completed (CANCELLED).',
  valuesConfig: {
    REQUESTED: { description: 'Sent by the municipality; awaiting the receiving organisation.' },
    ACCEPTED: { description: 'The receiving organisation accepted it.' },
    IN_PROGRESS: { description: 'The receiving organisation is supporting the person.' },
    COMPLETED: { description: 'Support by the receiving organisation ended and the case went back to the municipality, with an outcome.' },
    DECLINED: { description: 'The receiving organisation declined it, with a reason.' },
    CANCELLED: { description: 'The municipality withdrew it.' },
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
