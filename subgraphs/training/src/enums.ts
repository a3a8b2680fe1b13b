import { dateInJapan, registerLabelledEnum, type LabelledEnum } from '@nimo/kit';

/** Enum values equal their names, so the database, TypeScript and GraphQL all spell them alike. */

export enum OrganiserKind {
  NATIONAL_SECRETARIAT = 'NATIONAL_SECRETARIAT',
  PREFECTURE = 'PREFECTURE',
  MHW_CENTRE = 'MHW_CENTRE',
  PUBLIC_HEALTH_CENTRE = 'PUBLIC_HEALTH_CENTRE',
  DESIGNATED_CITY = 'DESIGNATED_CITY',
}

export const TrainingOrganiserKindLabels = registerLabelledEnum(OrganiserKind, {
  name: 'TrainingOrganiserKind',
  description: 'Who organises a training course.',
  values: {
    NATIONAL_SECRETARIAT: {
      label: '構築支援事業事務局',
      description: 'the national program secretariat (acts with a nation credential); no organiser jurisdiction.',
    },
    PREFECTURE: { label: '都道府県', description: 'a prefecture.' },
    MHW_CENTRE: { label: '精神保健福祉センター', description: 'a mental health and welfare centre (of a prefecture or a designated city).' },
    PUBLIC_HEALTH_CENTRE: { label: '保健所', description: 'a public health centre.' },
    DESIGNATED_CITY: { label: '指定都市', description: 'a designated city.' },
  },
});

export enum Audience {
  MUNICIPAL_CONSULTATION_STAFF = 'MUNICIPAL_CONSULTATION_STAFF',
  ADVISERS = 'ADVISERS',
  COMMUNITY_TRANSITION_STAFF = 'COMMUNITY_TRANSITION_STAFF',
  CONSTRUCTION_PROMOTION_SUPPORTERS = 'CONSTRUCTION_PROMOTION_SUPPORTERS',
  PEER_SUPPORTERS = 'PEER_SUPPORTERS',
}

export const TrainingAudienceLabels = registerLabelledEnum(Audience, {
  name: 'TrainingAudience',
  description: 'Whom a training course is for.',
  values: {
    MUNICIPAL_CONSULTATION_STAFF: { label: '市町村の相談担当職員', description: 'municipal mental-health consultation staff.' },
    ADVISERS: { label: 'アドバイザー', description: 'wide-area and prefecture-embedded advisers of the national adviser organisation.' },
    COMMUNITY_TRANSITION_STAFF: {
      label: '地域移行関係職員',
      description: 'staff who support the transition from hospital to the community (program item 11).',
    },
    CONSTRUCTION_PROMOTION_SUPPORTERS: { label: '構築推進サポーター', description: 'construction promotion supporters (program item 8).' },
    PEER_SUPPORTERS: { label: 'ピアサポーター', description: 'peer supporters (program item 5).' },
  },
});

export enum Delivery {
  ONLINE = 'ONLINE',
  ON_SITE = 'ON_SITE',
}

export const TrainingDeliveryLabels = registerLabelledEnum(Delivery, {
  name: 'TrainingDelivery',
  description: 'How a training session is held.',
  values: {
    ONLINE: { label: 'オンライン', description: 'online; no venue.' },
    ON_SITE: { label: '集合研修', description: 'on site, at a venue in a jurisdiction.' },
  },
});

export enum SessionState {
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  FULL = 'FULL',
  HELD = 'HELD',
  CANCELLED = 'CANCELLED',
}

export const TrainingSessionStateLabels = registerLabelledEnum(SessionState, {
  name: 'TrainingSessionState',
  description: 'Where a training session stands. OPEN ↔ FULL follow the enrolments by themselves; the organiser sets the others.',
  values: {
    SCHEDULED: { label: '開催予定', description: 'Announced; enrolment not open yet.' },
    OPEN: { label: '受付中', description: 'Enrolment open; places left. Enrolment closes when the session starts (see `TrainingSession.enrolmentOpen`).' },
    FULL: { label: '満員', description: 'Every place taken; new enrolments go on the wait list until the session starts.' },
    HELD: { label: '開催済み', description: 'The session took place (set by the organiser once it has started); attendance and completion can be recorded.' },
    CANCELLED: { label: '中止', description: 'Cancelled by the organiser.' },
  },
});

export enum EnrolmentState {
  WAIT_LISTED = 'WAIT_LISTED',
  ENROLLED = 'ENROLLED',
  ATTENDED = 'ATTENDED',
  ABSENT = 'ABSENT',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

export const EnrolmentStateLabels = registerLabelledEnum(EnrolmentState, {
  name: 'EnrolmentState',
  description: 'Where an enrolment stands.',
  values: {
    WAIT_LISTED: {
      label: 'キャンセル待ち',
      description: 'On the wait list: the session was full. Promoted to ENROLLED, first come first served, when a place frees up.',
    },
    ENROLLED: { label: '受講予定', description: 'Holds a place.' },
    ATTENDED: { label: '出席', description: 'The organiser recorded attendance.' },
    ABSENT: { label: '欠席', description: 'The organiser recorded absence.' },
    COMPLETED: { label: '修了', description: 'The organiser recorded completion; a certificate number was issued.' },
    CANCELLED: { label: '取消', description: "Cancelled by the staff member's organisation; the place (if any) went to the wait list." },
  },
});

/** Enrolment closes when a session starts: it is open only before the session's first day (in Japan). */
export const enrolmentOpenOn = (startsOn: string, today: string = dateInJapan()): boolean => startsOn > today;

/** A session has started once its first day (in Japan) has come; only then can it be marked HELD. */
export const hasStarted = (startsOn: string, today: string = dateInJapan()): boolean => startsOn <= today;

/** Enrolment states that hold a place in the session. */
export const PLACE_HOLDING: readonly EnrolmentState[] = [EnrolmentState.ENROLLED, EnrolmentState.ATTENDED, EnrolmentState.ABSENT, EnrolmentState.COMPLETED];

export enum Qualification {
  PSW = 'PSW',
  PUBLIC_HEALTH_NURSE = 'PUBLIC_HEALTH_NURSE',
  CERTIFIED_PSYCHOLOGIST = 'CERTIFIED_PSYCHOLOGIST',
  SOCIAL_WORKER = 'SOCIAL_WORKER',
  NURSE = 'NURSE',
  OTHER = 'OTHER',
}

export const StaffQualificationLabels = registerLabelledEnum(Qualification, {
  name: 'StaffQualification',
  description: 'A professional qualification of a staff member.',
  values: {
    PSW: { label: '精神保健福祉士', description: 'psychiatric social worker.' },
    PUBLIC_HEALTH_NURSE: { label: '保健師', description: 'public health nurse.' },
    CERTIFIED_PSYCHOLOGIST: { label: '公認心理師', description: 'certified public psychologist.' },
    SOCIAL_WORKER: { label: '社会福祉士', description: 'certified social worker.' },
    NURSE: { label: '看護師', description: 'nurse.' },
    OTHER: { label: 'その他', description: 'another qualification, or none listed.' },
  },
});

/** Every enum this subgraph owns, with its Japanese labels (served as `Labels.<enum>`). */
export const LABELLED_ENUMS: readonly LabelledEnum[] = [
  TrainingOrganiserKindLabels,
  TrainingAudienceLabels,
  TrainingDeliveryLabels,
  TrainingSessionStateLabels,
  EnrolmentStateLabels,
  StaffQualificationLabels,
];
