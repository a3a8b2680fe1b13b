import { dateInJapan } from '@nimo/kit';
import { registerEnumType } from 'type-graphql';

/** Enum values equal their names, so the database, TypeScript and GraphQL all spell them alike. */

export enum OrganiserKind {
  NATIONAL_SECRETARIAT = 'NATIONAL_SECRETARIAT',
  PREFECTURE = 'PREFECTURE',
  MHW_CENTRE = 'MHW_CENTRE',
  PUBLIC_HEALTH_CENTRE = 'PUBLIC_HEALTH_CENTRE',
  DESIGNATED_CITY = 'DESIGNATED_CITY',
}

registerEnumType(OrganiserKind, {
  name: 'TrainingOrganiserKind',
  description: 'Who organises a training course.',
  valuesConfig: {
    NATIONAL_SECRETARIAT: { description: '構築支援事業事務局: the national program secretariat (acts with a nation credential); no organiser jurisdiction.' },
    PREFECTURE: { description: '都道府県: a prefecture.' },
    MHW_CENTRE: { description: '精神保健福祉センター: a mental health and welfare centre (of a prefecture or a designated city).' },
    PUBLIC_HEALTH_CENTRE: { description: '保健所: a public health centre.' },
    DESIGNATED_CITY: { description: '指定都市: a designated city.' },
  },
});

export enum Audience {
  MUNICIPAL_CONSULTATION_STAFF = 'MUNICIPAL_CONSULTATION_STAFF',
  ADVISERS = 'ADVISERS',
  COMMUNITY_TRANSITION_STAFF = 'COMMUNITY_TRANSITION_STAFF',
  CONSTRUCTION_PROMOTION_SUPPORTERS = 'CONSTRUCTION_PROMOTION_SUPPORTERS',
  PEER_SUPPORTERS = 'PEER_SUPPORTERS',
}

registerEnumType(Audience, {
  name: 'TrainingAudience',
  description: 'Whom a training course is for.',
  valuesConfig: {
    MUNICIPAL_CONSULTATION_STAFF: { description: '市町村の相談担当職員: municipal mental-health consultation staff.' },
    ADVISERS: { description: 'アドバイザー: wide-area and prefecture-embedded advisers of the national adviser organisation.' },
    COMMUNITY_TRANSITION_STAFF: { description: '地域移行関係職員: staff who support the transition from hospital to the community (program item 11).' },
    CONSTRUCTION_PROMOTION_SUPPORTERS: { description: '構築推進サポーター: construction promotion supporters (program item 8).' },
    PEER_SUPPORTERS: { description: 'ピアサポーター: peer supporters (program item 5).' },
  },
});

export enum Delivery {
  ONLINE = 'ONLINE',
  ON_SITE = 'ON_SITE',
}

registerEnumType(Delivery, {
  name: 'TrainingDelivery',
  description: 'How a training session is held.',
  valuesConfig: {
    ONLINE: { description: 'オンライン: online; no venue.' },
    ON_SITE: { description: '集合研修: on site, at a venue in a jurisdiction.' },
  },
});

export enum SessionState {
  SCHEDULED = 'SCHEDULED',
  OPEN = 'OPEN',
  FULL = 'FULL',
  HELD = 'HELD',
  CANCELLED = 'CANCELLED',
}

registerEnumType(SessionState, {
  name: 'TrainingSessionState',
  description: 'Where a training session stands. OPEN ↔ FULL follow the enrolments by themselves; the organiser sets the others.',
  valuesConfig: {
    SCHEDULED: { description: 'Announced; enrolment not open yet.' },
    OPEN: { description: 'Enrolment open; places left. Enrolment closes when the session starts (see `TrainingSession.enrolmentOpen`).' },
    FULL: { description: 'Every place taken; new enrolments go on the wait list until the session starts.' },
    HELD: { description: 'The session took place (set by the organiser once it has started); attendance and completion can be recorded.' },
    CANCELLED: { description: 'Cancelled by the organiser.' },
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

registerEnumType(EnrolmentState, {
  name: 'EnrolmentState',
  description: 'Where an enrolment stands.',
  valuesConfig: {
    WAIT_LISTED: { description: 'On the wait list: the session was full. Promoted to ENROLLED, first come first served, when a place frees up.' },
    ENROLLED: { description: 'Holds a place.' },
    ATTENDED: { description: 'The organiser recorded attendance.' },
    ABSENT: { description: 'The organiser recorded absence.' },
    COMPLETED: { description: 'The organiser recorded completion; a certificate number was issued.' },
    CANCELLED: { description: 'Cancelled by the staff member\'s organisation; the place (if any) went to the wait list.' },
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

registerEnumType(Qualification, {
  name: 'StaffQualification',
  description: 'A professional qualification of a staff member.',
  valuesConfig: {
    PSW: { description: '精神保健福祉士: psychiatric social worker.' },
    PUBLIC_HEALTH_NURSE: { description: '保健師: public health nurse.' },
    CERTIFIED_PSYCHOLOGIST: { description: '公認心理師: certified public psychologist.' },
    SOCIAL_WORKER: { description: '社会福祉士: certified social worker.' },
    NURSE: { description: '看護師: nurse.' },
    OTHER: { description: 'その他: another qualification, or none listed.' },
  },
});
