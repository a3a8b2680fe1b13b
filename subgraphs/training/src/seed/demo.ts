import { dateInJapan, demoUuid, jurisdictionRows, pick, unit, type JurisdictionRow } from '@nimo/kit';
import { Audience, Delivery, EnrolmentState, OrganiserKind, Qualification, SessionState } from '../enums';
import { certificateNumber } from '../enrolments';

/**
 * Demo courses, sessions, staff and enrolments, generated from the national list of local
 * governments and nothing else (seeded by the codes): the same on every run and every machine.
 * Organisation ids are the directory's demo organisations, recomputed with the same derivation
 * (`demoUuid('organization', <jurisdiction code>, <name>)`). Every row is marked demo.
 */

export interface CourseRow {
  id: string;
  title: string;
  organiserKind: OrganiserKind;
  organiserJurisdictionCode: string | null;
  organiserOrganizationId: string | null;
  audience: Audience;
  curriculum: string[];
  programItem: number | null;
}
export interface SessionRow {
  id: string;
  courseId: string;
  startsOn: string;
  endsOn: string;
  fiscalYear: number;
  delivery: Delivery;
  venueJurisdictionCode: string | null;
  capacity: number;
  state: SessionState;
  completionSerial: number;
}
export interface StaffRow {
  id: string;
  organizationId: string;
  jurisdictionCode: string;
  municipalityCode: string | null;
  displayName: string;
  qualifications: Qualification[];
  consultationStaff: boolean;
}
export interface EnrolmentRow {
  id: string;
  sessionId: string;
  staffId: string;
  state: EnrolmentState;
  requestedAt: Date;
  completedOn: string | null;
  certificateNumber: string | null;
}
export interface TrainingDemo {
  courses: CourseRow[];
  sessions: SessionRow[];
  staff: StaffRow[];
  enrolments: EnrolmentRow[];
}

/** The directory's demo organisation id for an organisation of this name in this jurisdiction. */
export const directoryOrganizationId = (code: string, name: string): string => demoUuid('organization', code, name);

const CONSULTATION_CURRICULUM = [
  '精神保健福祉法と市町村の役割（2022年改正）',
  '相談対応の基本と記録',
  'ケース検討（演習）',
  '保健所・精神保健福祉センターとの連携',
];
const TRANSITION_CURRICULUM = ['地域移行・地域定着支援の制度', '長期入院者への働きかけ', 'ピアサポーターとの協働', '事例検討'];
const PEER_CURRICULUM = ['ピアサポートとは', 'リカバリーの視点', '支援者としての倫理', '実習の振り返り'];
const QUALIFICATIONS: Qualification[] = [
  Qualification.PSW,
  Qualification.PUBLIC_HEALTH_NURSE,
  Qualification.CERTIFIED_PSYCHOLOGIST,
  Qualification.SOCIAL_WORKER,
  Qualification.NURSE,
  Qualification.OTHER,
];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * Fiscal years of the demo sessions. A session that ended before the day the demo is built is HELD
 * (with its completions); any other is OPEN, and takes enrolments only until it starts
 * (`enrolmentOpenOn`): no demo session in the past stays open.
 */
export const DEMO_YEARS: readonly number[] = [2023, 2024, 2025, 2026];

function sessionDates(key: string, fiscalYear: number): { startsOn: string; endsOn: string } {
  // June to February of the fiscal year; two days.
  const month = pick(6, 14, key, fiscalYear, 'month');
  const year = month > 12 ? fiscalYear + 1 : fiscalYear;
  const mm = String(month > 12 ? month - 12 : month).padStart(2, '0');
  const day = pick(1, 27, key, fiscalYear, 'day');
  return { startsOn: `${year}-${mm}-${String(day).padStart(2, '0')}`, endsOn: `${year}-${mm}-${String(day + 1).padStart(2, '0')}` };
}

export function buildTrainingDemo(rows: JurisdictionRow[] = jurisdictionRows(), today: string = dateInJapan()): TrainingDemo {
  const courses: CourseRow[] = [];
  const sessions: SessionRow[] = [];
  const staff: StaffRow[] = [];
  const enrolments: EnrolmentRow[] = [];
  const prefectures = rows.filter((r) => r.kind === 'PREFECTURE');
  const municipalities = rows.filter((r) => r.kind !== 'PREFECTURE' && r.parentCode === r.prefectureCode && !r.administrationSuspended);
  const wardsOf = new Map<string, JurisdictionRow[]>();
  for (const r of rows) if (r.kind === 'ADMINISTRATIVE_WARD' && r.parentCode) wardsOf.set(r.parentCode, [...(wardsOf.get(r.parentCode) ?? []), r]);

  const addCourse = (key: string, course: Omit<CourseRow, 'id'>): CourseRow => {
    const row = { id: demoUuid('training-course', key), ...course };
    courses.push(row);
    return row;
  };
  const addSessions = (course: CourseRow, key: string, capacity: number, venue: string | null): SessionRow[] =>
    DEMO_YEARS.map((fiscalYear) => {
      const online = venue === null || unit(key, fiscalYear, 'online') < 0.3;
      const dates = sessionDates(key, fiscalYear);
      const state = dates.endsOn < today ? SessionState.HELD : SessionState.OPEN;
      const row: SessionRow = {
        id: demoUuid('training-session', key, fiscalYear),
        courseId: course.id,
        ...dates,
        fiscalYear,
        delivery: online ? Delivery.ONLINE : Delivery.ON_SITE,
        venueJurisdictionCode: online ? null : venue,
        capacity,
        state,
        completionSerial: 0,
      };
      sessions.push(row);
      return row;
    });

  let serial = 0;
  const addStaff = (organizationId: string, at: JurisdictionRow, municipalityCode: string | null, consultationStaff: boolean): StaffRow => {
    serial += 1;
    const id = demoUuid('training-staff', organizationId, serial);
    const letter = LETTERS[Number(at.prefectureCode.slice(0, 2)) % LETTERS.length] ?? 'A';
    const first = QUALIFICATIONS[pick(0, QUALIFICATIONS.length - 1, id, 'q1')] ?? Qualification.OTHER;
    const second = unit(id, 'q2') < 0.25 ? QUALIFICATIONS[pick(0, 4, id, 'q2b')] : undefined;
    const row: StaffRow = {
      id,
      organizationId,
      jurisdictionCode: at.code,
      municipalityCode,
      displayName: `職員 ${letter}-${String(serial).padStart(4, '0')}`,
      qualifications: [...new Set([first, ...(second ? [second] : [])])],
      consultationStaff,
    };
    staff.push(row);
    return row;
  };

  const enrolAll = (session: SessionRow, course: CourseRow, candidates: StaffRow[], share: number) => {
    const chosen = candidates.filter((s) => unit(s.id, session.id, 'enrol') < share);
    session.capacity = Math.max(session.capacity, chosen.length + 5);
    const held = session.state === SessionState.HELD;
    chosen.forEach((s, i) => {
      const completes = held && unit(s.id, session.id, 'complete') < 0.85;
      if (completes) session.completionSerial += 1;
      enrolments.push({
        id: demoUuid('training-enrolment', session.id, s.id),
        sessionId: session.id,
        staffId: s.id,
        state: held ? (completes ? EnrolmentState.COMPLETED : EnrolmentState.ABSENT) : EnrolmentState.ENROLLED,
        requestedAt: new Date(Date.parse(`${session.startsOn}T00:00:00+09:00`) - (30 - (i % 20)) * 86_400_000),
        completedOn: completes ? session.endsOn : null,
        certificateNumber: completes ? certificateNumber(session.fiscalYear, course.organiserJurisdictionCode, session.id, session.completionSerial) : null,
      });
    });
  };

  // National secretariat: the joint adviser training and the construction promotion supporter training.
  const advisers = addCourse('national-advisers', {
    title: '広域アドバイザー・都道府県等密着アドバイザー合同研修（デモ）',
    organiserKind: OrganiserKind.NATIONAL_SECRETARIAT,
    organiserJurisdictionCode: null,
    organiserOrganizationId: null,
    audience: Audience.ADVISERS,
    curriculum: ['構築支援事業の概要', '都道府県等への技術的助言', '評価指標の活用', 'グループワーク'],
    programItem: null,
  });
  addSessions(advisers, 'national-advisers', 120, null);
  const supporters = addCourse('national-supporters', {
    title: '構築推進サポーター研修（デモ）',
    organiserKind: OrganiserKind.NATIONAL_SECRETARIAT,
    organiserJurisdictionCode: null,
    organiserOrganizationId: null,
    audience: Audience.CONSTRUCTION_PROMOTION_SUPPORTERS,
    curriculum: ['にも包括の考え方', '協議の場の運営支援', 'PDCAサイクル'],
    programItem: 8,
  });
  addSessions(supporters, 'national-supporters', 200, null);

  for (const prefecture of prefectures) {
    const p = prefecture.code;
    const inPrefecture = municipalities.filter((m) => m.prefectureCode === p);
    const centreLabel = p === '130001' ? '中部' : '';
    const centreId = directoryOrganizationId(p, `${prefecture.name}${centreLabel}精神保健福祉センター`);
    const transition = addCourse(`${p}-transition`, {
      title: `${prefecture.name}地域移行・地域定着支援関係職員研修（デモ）`,
      organiserKind: OrganiserKind.PREFECTURE,
      organiserJurisdictionCode: p,
      organiserOrganizationId: null,
      audience: Audience.COMMUNITY_TRANSITION_STAFF,
      curriculum: TRANSITION_CURRICULUM,
      programItem: 11,
    });
    addSessions(transition, `${p}-transition`, 60, p);
    if (unit(p, 'peer') < 0.5) {
      const peer = addCourse(`${p}-peer`, {
        title: `${prefecture.name}ピアサポーター養成研修（デモ）`,
        organiserKind: OrganiserKind.PREFECTURE,
        organiserJurisdictionCode: p,
        organiserOrganizationId: null,
        audience: Audience.PEER_SUPPORTERS,
        curriculum: PEER_CURRICULUM,
        programItem: 5,
      });
      addSessions(peer, `${p}-peer`, 30, p);
    }
    const consultation = addCourse(`${p}-consultation`, {
      title: `${prefecture.name}市町村精神保健福祉相談担当者研修（デモ）`,
      organiserKind: OrganiserKind.MHW_CENTRE,
      organiserJurisdictionCode: p,
      organiserOrganizationId: centreId,
      audience: Audience.MUNICIPAL_CONSULTATION_STAFF,
      curriculum: CONSULTATION_CURRICULUM,
      programItem: 14,
    });
    const consultationSessions = addSessions(consultation, `${p}-consultation`, 40, p);
    for (let i = 0; i < pick(2, 3, p, 'centre-staff'); i += 1) addStaff(centreId, prefecture, null, false);

    // Staff of some municipal consultation desks (not the designated cities: they train their own).
    const deskStaff: StaffRow[] = [];
    for (const m of inPrefecture.filter((x) => x.kind !== 'DESIGNATED_CITY')) {
      if (unit(m.code, 'staffed') >= 0.6) continue;
      const desk = directoryOrganizationId(m.code, `${m.name}障害福祉課 精神保健福祉相談窓口`);
      for (let i = 0; i < pick(1, 3, m.code, 'desk-staff'); i += 1) deskStaff.push(addStaff(desk, m, m.code, true));
    }
    for (const s of consultationSessions) enrolAll(s, consultation, deskStaff, s.state === SessionState.HELD ? 0.4 : 0.1);

    // Designated cities: their own course for the wards' consultation desks.
    for (const city of inPrefecture.filter((x) => x.kind === 'DESIGNATED_CITY')) {
      const cityCentre = directoryOrganizationId(city.code, `${city.name}精神保健福祉センター`);
      const course = addCourse(`${city.code}-consultation`, {
        title: `${city.name}精神保健福祉相談従事者研修（デモ）`,
        organiserKind: OrganiserKind.DESIGNATED_CITY,
        organiserJurisdictionCode: city.code,
        organiserOrganizationId: cityCentre,
        audience: Audience.MUNICIPAL_CONSULTATION_STAFF,
        curriculum: CONSULTATION_CURRICULUM,
        programItem: 14,
      });
      const citySessions = addSessions(course, `${city.code}-consultation`, 30, city.code);
      const wardStaff: StaffRow[] = [];
      for (const ward of wardsOf.get(city.code) ?? []) {
        const desk = directoryOrganizationId(ward.code, `${city.name}${ward.name}保健福祉センター 精神保健福祉相談`);
        for (let i = 0; i < pick(1, 2, ward.code, 'ward-staff'); i += 1) wardStaff.push(addStaff(desk, ward, city.code, true));
      }
      for (const s of citySessions) enrolAll(s, course, wardStaff, s.state === SessionState.HELD ? 0.5 : 0.1);
    }

    // Some health-centre cities run a course of their own public health centre.
    for (const m of inPrefecture.filter((x) => x.kind === 'CORE_CITY' && unit(x.code, 'hc-course') < 0.3)) {
      const centre = directoryOrganizationId(m.code, `${m.name}保健所`);
      const course = addCourse(`${m.code}-health-centre`, {
        title: `${m.name}保健所 こころの相談対応研修（デモ）`,
        organiserKind: OrganiserKind.PUBLIC_HEALTH_CENTRE,
        organiserJurisdictionCode: m.code,
        organiserOrganizationId: centre,
        audience: Audience.MUNICIPAL_CONSULTATION_STAFF,
        curriculum: CONSULTATION_CURRICULUM.slice(0, 3),
        programItem: 14,
      });
      addSessions(course, `${m.code}-health-centre`, 25, m.code);
    }
  }
  return { courses, sessions, staff, enrolments };
}
