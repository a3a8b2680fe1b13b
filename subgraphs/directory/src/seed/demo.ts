import { DayOfWeek, ForumLevel, ForumMemberRole, JurisdictionKind, SERVICE_KINDS, ServiceKind } from '../enums';
import type { OpeningHours } from '../entities/organization';
import { DEMO_PROGRAM_FIRST_YEAR, demoUuid, isDemoPromotionParticipant, municipalityRows, pick, unit, type JurisdictionRow } from '@nimo/kit';

/**
 * Demo regions, daily-life areas, organisations and forums for every municipality, generated from
 * the real jurisdiction list and nothing else: the same on every run. Every row is marked demo.
 */

export interface RegionRow {
  id: string;
  name: string;
  prefectureCode: string;
}
export interface AreaRow {
  id: string;
  name: string;
  municipalityCode: string;
}
export interface OrganizationRow {
  id: string;
  name: string;
  category: string;
  services: ServiceKind[];
  jurisdictionCode: string;
  prefectureCode: string;
  phone: string;
  email: string;
  postalCode: string;
  address: string;
  openingHours: OpeningHours[];
  serviceAreaCodes: string[];
  dailyLifeAreaIds: string[];
}
export interface ForumRow {
  id: string;
  name: string;
  level: ForumLevel;
  jurisdictionCode: string | null;
  regionId: string | null;
  prefectureCode: string;
  establishedOn: string;
  meetingsLastYear: number;
}
export interface MemberRow {
  forumId: string;
  position: number;
  role: ForumMemberRole;
  description: string;
  organizationId: string | null;
}

export interface DemoData {
  regionOf: Map<string, string>;
  regions: RegionRow[];
  areas: AreaRow[];
  organizations: OrganizationRow[];
  forums: ForumRow[];
  members: MemberRow[];
}

const WEEKDAYS = [DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY];
const OFFICE_HOURS: OpeningHours[] = [{ days: WEEKDAYS, opens: '08:30', closes: '17:15', note: null }];
const CLINIC_HOURS: OpeningHours[] = [
  { days: WEEKDAYS, opens: '09:00', closes: '18:00', note: null },
  { days: [DayOfWeek.SATURDAY], opens: '09:00', closes: '12:30', note: null },
];
const ROUND_THE_CLOCK: OpeningHours[] = [
  { days: [...WEEKDAYS, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.HOLIDAY], opens: '00:00', closes: '23:59', note: '24時間対応' },
];

const REGION_SIZE = 7;

/** Regions: each designated city alone; the other municipalities in code order, about seven to a region. */
function buildRegions(rows: JurisdictionRow[]): { regions: RegionRow[]; regionOf: Map<string, string> } {
  const regions: RegionRow[] = [];
  const regionOf = new Map<string, string>();
  const prefectures = rows.filter((r) => r.kind === JurisdictionKind.PREFECTURE);
  for (const prefecture of prefectures) {
    const municipalities = rows.filter((r) => r.prefectureCode === prefecture.code && r.parentCode === prefecture.code && !r.administrationSuspended);
    const groups: JurisdictionRow[][] = [];
    for (const city of municipalities.filter((m) => m.kind === JurisdictionKind.DESIGNATED_CITY)) groups.push([city]);
    const rest = municipalities.filter((m) => m.kind !== JurisdictionKind.DESIGNATED_CITY);
    const count = Math.max(1, Math.round(rest.length / REGION_SIZE));
    for (let i = 0; i < count; i += 1) {
      groups.push(rest.slice(Math.floor((i * rest.length) / count), Math.floor(((i + 1) * rest.length) / count)));
    }
    groups.forEach((group, index) => {
      const serial = String(index + 1).padStart(2, '0');
      const id = `${prefecture.code.slice(0, 2)}-${serial}`;
      const first = group[0];
      const name = group.length === 1 && first ? `${first.name}圏域` : `${prefecture.name}第${index + 1}圏域`;
      regions.push({ id, name, prefectureCode: prefecture.code });
      for (const m of group) regionOf.set(m.code, id);
    });
  }
  // Administrative wards belong to their city's region.
  for (const r of rows) {
    if (r.kind === JurisdictionKind.ADMINISTRATIVE_WARD && r.parentCode) {
      const region = regionOf.get(r.parentCode);
      if (region) regionOf.set(r.code, region);
    }
  }
  return { regions, regionOf };
}

const AREA_COUNT: Partial<Record<JurisdictionKind, [number, number]>> = {
  [JurisdictionKind.DESIGNATED_CITY]: [8, 12],
  [JurisdictionKind.CORE_CITY]: [5, 7],
  [JurisdictionKind.SPECIAL_WARD]: [3, 6],
  [JurisdictionKind.OTHER_CITY]: [2, 4],
  [JurisdictionKind.TOWN]: [1, 2],
  [JurisdictionKind.VILLAGE]: [1, 1],
};

function phoneFor(code: string, serial: number): string {
  const area = String(10 + (Number(code.slice(0, 2)) % 90)).padStart(2, '0');
  return `0${area}-${String(pick(100, 999, code, serial, 'a'))}-${String(pick(1000, 9999, code, serial, 'b'))}`;
}

export function buildDemoData(rows: JurisdictionRow[]): DemoData {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const { regions, regionOf } = buildRegions(rows);
  const areas: AreaRow[] = [];
  const organizations: OrganizationRow[] = [];
  const forums: ForumRow[] = [];
  const members: MemberRow[] = [];

  const municipalities = municipalityRows(rows);
  const areasOf = new Map<string, string[]>();
  for (const m of municipalities) {
    const [min, max] = AREA_COUNT[m.kind] ?? [1, 1];
    const n = pick(min, max, m.code, 'areas');
    const ids: string[] = [];
    for (let i = 1; i <= n; i += 1) {
      const id = `${m.code}-${String(i).padStart(2, '0')}`;
      areas.push({ id, name: `${m.name}第${i}日常生活圏域`, municipalityCode: m.code });
      ids.push(id);
    }
    areasOf.set(m.code, ids);
  }

  let serial = 0;
  const addOrg = (
    at: JurisdictionRow,
    name: string,
    services: ServiceKind[],
    options: { serves?: string[]; areas?: string[]; hours?: OpeningHours[] } = {},
  ): OrganizationRow => {
    serial += 1;
    const main = services[0];
    if (!main) throw new Error('an organisation needs a service');
    const prefecture = byCode.get(at.prefectureCode);
    const org: OrganizationRow = {
      id: demoUuid('organization', at.code, name),
      name,
      category: SERVICE_KINDS[main].category,
      services,
      jurisdictionCode: at.code,
      prefectureCode: at.prefectureCode,
      phone: phoneFor(at.code, serial),
      email: `info-${at.code}-${serial}@demo.nimo-hub.invalid`,
      postalCode: `${String(pick(100, 999, at.code, name, 'zip'))}-${String(pick(1000, 9999, at.code, name, 'zip2'))}`,
      address: `${prefecture?.name ?? ''}${at.kind === JurisdictionKind.PREFECTURE ? '' : at.name}（デモ住所 ${pick(1, 9, name)}-${pick(1, 30, name, 'b')}）`,
      openingHours: options.hours ?? OFFICE_HOURS,
      serviceAreaCodes: options.serves ?? [at.code],
      dailyLifeAreaIds: options.areas ?? [],
    };
    organizations.push(org);
    return org;
  };

  // Prefecture-level second line: mental health and welfare centres (Tokyo three), developmental
  // disabilities support centres; per region a public health centre (where no health-centre city
  // covers it), an employment and life support centre and a Hello Work.
  const staffOf = new Map<string, { admin?: string; hospital?: string; provider?: string; housing?: string }>();
  for (const prefecture of rows.filter((r) => r.kind === JurisdictionKind.PREFECTURE)) {
    const inPrefecture = municipalities.filter((m) => m.prefectureCode === prefecture.code).map((m) => m.code);
    const centres = prefecture.code === '130001' ? ['中部', '多摩', '多摩総合'] : [''];
    const centreIds = centres.map(
      (label) => addOrg(prefecture, `${prefecture.name}${label}精神保健福祉センター`, [ServiceKind.MENTAL_HEALTH_WELFARE_CENTRE], { serves: inPrefecture }).id,
    );
    addOrg(prefecture, `${prefecture.name}発達障害者支援センター`, [ServiceKind.DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE], { serves: inPrefecture });
    staffOf.set(prefecture.code, { ...(centreIds[0] ? { admin: centreIds[0] } : {}) });
    for (const region of regions.filter((r) => r.prefectureCode === prefecture.code)) {
      const regionMunicipalities = municipalities.filter((m) => regionOf.get(m.code) === region.id);
      const seat = regionMunicipalities[0];
      if (!seat) continue;
      const serves = regionMunicipalities.map((m) => m.code);
      const uncovered = regionMunicipalities.filter((m) => !m.runsPublicHealthCentre).map((m) => m.code);
      if (uncovered.length > 0) {
        addOrg(seat, `${prefecture.name}${region.name.replace(prefecture.name, '')}保健所`, [ServiceKind.PUBLIC_HEALTH_CENTRE], { serves: uncovered });
      }
      addOrg(seat, `${region.name}障害者就業・生活支援センター`, [ServiceKind.EMPLOYMENT_LIFE_SUPPORT_CENTRE], { serves });
      addOrg(seat, `ハローワーク${seat.name.replace(/[市町村区]$/, '')}`, [ServiceKind.HELLO_WORK], { serves });
    }
  }

  for (const m of municipalities) {
    const areaIds = areasOf.get(m.code) ?? [];
    const city = m.kind !== JurisdictionKind.TOWN && m.kind !== JurisdictionKind.VILLAGE;
    const desk = addOrg(m, `${m.name}障害福祉課 精神保健福祉相談窓口`, [ServiceKind.MUNICIPAL_MENTAL_HEALTH_DESK], { areas: areaIds });
    if (m.kind === JurisdictionKind.DESIGNATED_CITY) {
      addOrg(m, `${m.name}精神保健福祉センター`, [ServiceKind.MENTAL_HEALTH_WELFARE_CENTRE]);
      for (const ward of rows.filter((r) => r.parentCode === m.code)) {
        addOrg(ward, `${m.name}${ward.name}保健福祉センター 精神保健福祉相談`, [ServiceKind.MUNICIPAL_MENTAL_HEALTH_DESK, ServiceKind.PUBLIC_HEALTH_CENTRE]);
      }
    } else if (m.runsPublicHealthCentre) {
      addOrg(m, `${m.name}保健所`, [ServiceKind.PUBLIC_HEALTH_CENTRE]);
    }
    areaIds.forEach((areaId, i) => {
      addOrg(m, `${m.name}第${i + 1}地域包括支援センター`, [ServiceKind.COMMUNITY_GENERAL_SUPPORT_CENTRE, ServiceKind.PREVENTIVE_CARE], { areas: [areaId] });
    });
    if (city) {
      addOrg(m, `${m.name}基幹相談支援センター`, [ServiceKind.CORE_CONSULTATION_SUPPORT_CENTRE], { areas: areaIds });
    }
    const provider = addOrg(m, `相談支援事業所 ${m.name}ひだまり`, [ServiceKind.PLAN_CONSULTATION_SUPPORT, ServiceKind.COMMUNITY_CONSULTATION_SUPPORT], {
      areas: areaIds,
    });
    // Towns and villages: the clinic has beds (有床診療所); cities: a psychiatric day care instead.
    const clinic = addOrg(
      m,
      `${m.name}こころのクリニック（デモ）`,
      [ServiceKind.FAMILY_DOCTOR, city ? ServiceKind.PSYCHIATRIC_DAY_CARE : ServiceKind.CLINIC_WITH_BEDS],
      { hours: CLINIC_HOURS },
    );
    let hospital = clinic;
    if (city) {
      hospital = addOrg(
        m,
        `${m.name}みどり病院（デモ）`,
        [
          ServiceKind.PSYCHIATRIC_HOSPITAL_ACUTE,
          ServiceKind.PSYCHIATRIC_HOSPITAL_RECOVERY,
          ServiceKind.PSYCHIATRIC_HOSPITAL_CHRONIC,
          ServiceKind.COMMUNITY_PARTNER_HOSPITAL,
        ],
        { hours: ROUND_THE_CLOCK },
      );
      addOrg(
        m,
        `訪問看護ステーション ${m.name}あおば`,
        [ServiceKind.PSYCHIATRIC_HOME_VISIT_NURSING, ServiceKind.HOME_VISIT_NURSING, ServiceKind.ROUND_THE_CLOCK_HOME_VISIT],
        { hours: ROUND_THE_CLOCK, areas: areaIds },
      );
      addOrg(m, `就労継続支援事業所 ${m.name}はたらく舎`, [ServiceKind.CONTINUED_EMPLOYMENT_SUPPORT]);
      addOrg(m, `特別養護老人ホーム ${m.name}やすらぎ苑（デモ）`, [ServiceKind.SPECIAL_ELDERLY_NURSING_HOME, ServiceKind.SHORT_STAY], {
        hours: ROUND_THE_CLOCK,
      });
      addOrg(m, `介護老人保健施設 ${m.name}ふれあい（デモ）`, [ServiceKind.LTC_HEALTH_FACILITY], { hours: ROUND_THE_CLOCK });
      addOrg(m, `障害者支援施設 ${m.name}あゆみ（デモ）`, [ServiceKind.FACILITY_ADMISSION_SUPPORT, ServiceKind.RESIDENTIAL_INDEPENDENCE_TRAINING], {
        hours: ROUND_THE_CLOCK,
      });
      addOrg(m, `サービス付き高齢者向け住宅 ${m.name}さくら（デモ）`, [ServiceKind.SERVICED_HOUSING_FOR_OLDER_PEOPLE], { hours: ROUND_THE_CLOCK });
    }
    // Every municipality: daily medical care, long-term care at home, disability welfare at home, its own
    // housing and community life support hub, and mutual aid (peer support; a self-help group in most).
    addOrg(m, `${m.name}さくら歯科（デモ）`, [ServiceKind.DENTAL], { hours: CLINIC_HOURS });
    addOrg(m, `${m.name}みなと薬局（デモ）`, [ServiceKind.PHARMACY], { hours: CLINIC_HOURS });
    addOrg(
      m,
      `介護サービス事業所 ${m.name}ひまわり（デモ）`,
      [
        ServiceKind.HOME_VISIT_CARE,
        ServiceKind.DAY_SERVICE,
        ServiceKind.SMALL_SCALE_MULTIFUNCTIONAL_HOME_CARE,
        ServiceKind.WELFARE_EQUIPMENT,
        ServiceKind.DEMENTIA_GROUP_HOME,
      ],
      { areas: areaIds },
    );
    addOrg(
      m,
      `障害福祉サービス事業所 ${m.name}つばさ（デモ）`,
      [ServiceKind.DISABILITY_HOME_CARE, ServiceKind.DAILY_LIFE_CARE, ServiceKind.DISABILITY_SHORT_STAY, ServiceKind.INDEPENDENCE_TRAINING],
      { areas: areaIds },
    );
    addOrg(m, `${m.name}地域生活支援拠点`, [ServiceKind.COMMUNITY_LIFE_SUPPORT_HUB], { areas: areaIds, hours: ROUND_THE_CLOCK });
    addOrg(
      m,
      `${m.name}${m.kind === JurisdictionKind.TOWN ? '町営' : m.kind === JurisdictionKind.VILLAGE ? '村営' : m.kind === JurisdictionKind.SPECIAL_WARD ? '区営' : '市営'}住宅（住宅担当課）`,
      [ServiceKind.PUBLIC_HOUSING],
    );
    addOrg(m, `ピアサポートの会 ${m.name}（デモ）`, [ServiceKind.PEER_SUPPORT]);
    if (unit(m.code, 'self-help') < 0.6) addOrg(m, `${m.name}こころの家族会・地域の助け合いの会（デモ）`, [ServiceKind.SELF_HELP_GROUP]);
    addOrg(m, `グループホーム ${m.name}ともいき`, [ServiceKind.GROUP_HOME, ...(unit(m.code, 'ila') < 0.4 ? [ServiceKind.INDEPENDENT_LIVING_ASSISTANCE] : [])], {
      hours: ROUND_THE_CLOCK,
    });
    const housing =
      city && unit(m.code, 'housing') < 0.5 ? addOrg(m, `居住支援法人 ${m.name}すまいサポート`, [ServiceKind.HOUSING_SUPPORT_CORPORATION]) : undefined;
    staffOf.set(m.code, { admin: desk.id, hospital: hospital.id, provider: provider.id, ...(housing ? { housing: housing.id } : {}) });
  }

  // A forum of a program participant (isDemoPromotionParticipant: it runs item 1, the forum, from
  // DEMO_PROGRAM_FIRST_YEAR) was set up before that year; others from 2017 to 2024.
  const addForum = (
    forum: Omit<ForumRow, 'id' | 'establishedOn' | 'meetingsLastYear'>,
    staff: { admin?: string; hospital?: string; provider?: string; housing?: string },
    participant: boolean,
  ) => {
    const key = forum.jurisdictionCode ?? forum.regionId ?? '';
    const id = demoUuid('forum', key);
    const year = pick(2017, participant ? DEMO_PROGRAM_FIRST_YEAR - 1 : 2024, key, 'year');
    const month = String(pick(4, 12, key, 'month')).padStart(2, '0');
    forums.push({ ...forum, id, establishedOn: `${year}-${month}-01`, meetingsLastYear: pick(1, 6, key, 'meetings') });
    const roles: [ForumMemberRole, string, string | undefined][] = [
      [ForumMemberRole.ADMINISTRATION, '行政（障害福祉・保健担当）', staff.admin],
      [ForumMemberRole.PSYCHIATRIC_MEDICAL_INSTITUTION, '精神科医療機関', staff.hospital],
      [ForumMemberRole.COMMUNITY_SUPPORT_PROVIDER, '指定一般・特定相談支援事業者', staff.provider],
      [ForumMemberRole.PERSON_WITH_LIVED_EXPERIENCE, '当事者', undefined],
      [ForumMemberRole.FAMILY, '家族会', undefined],
    ];
    if (unit(key, 'peer') < 0.6) roles.push([ForumMemberRole.PEER_SUPPORTER, 'ピアサポーター', undefined]);
    if (staff.housing) roles.push([ForumMemberRole.HOUSING_SUPPORT, '居住支援関係者', staff.housing]);
    if (unit(key, 'supporter') < 0.3) roles.push([ForumMemberRole.CONSTRUCTION_PROMOTION_SUPPORTER, '構築推進サポーター', undefined]);
    roles.forEach(([role, description, organizationId], position) =>
      members.push({ forumId: id, position, role, description, organizationId: organizationId ?? null }),
    );
  };

  for (const prefecture of rows.filter((r) => r.kind === JurisdictionKind.PREFECTURE)) {
    addForum(
      {
        name: `${prefecture.name}精神障害にも対応した地域包括ケアシステム推進会議`,
        level: ForumLevel.PREFECTURE,
        jurisdictionCode: prefecture.code,
        regionId: null,
        prefectureCode: prefecture.code,
      },
      staffOf.get(prefecture.code) ?? {},
      true,
    );
  }
  // A designated city is a region of its own: its region's forum is the city's too.
  const soleMember = new Map<string, JurisdictionRow>();
  for (const m of municipalities) {
    const region = regionOf.get(m.code);
    if (region && m.kind === JurisdictionKind.DESIGNATED_CITY) soleMember.set(region, m);
  }
  for (const region of regions) {
    const city = soleMember.get(region.id);
    const participant = city !== undefined && isDemoPromotionParticipant(city);
    if (participant || unit(region.id, 'forum') < 0.85) {
      addForum(
        {
          name: `${region.name}保健・医療・福祉関係者による協議の場`,
          level: ForumLevel.REGION,
          jurisdictionCode: null,
          regionId: region.id,
          prefectureCode: region.prefectureCode,
        },
        staffOf.get(region.prefectureCode) ?? {},
        participant,
      );
    }
  }
  for (const m of municipalities) {
    const participant = isDemoPromotionParticipant(m);
    if (participant || unit(m.code, 'forum') < 0.7) {
      addForum(
        { name: `${m.name}精神保健福祉協議の場`, level: ForumLevel.MUNICIPALITY, jurisdictionCode: m.code, regionId: null, prefectureCode: m.prefectureCode },
        staffOf.get(m.code) ?? {},
        participant,
      );
    }
  }
  return { regionOf, regions, areas, organizations, forums, members };
}
