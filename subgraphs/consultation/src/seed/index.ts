import { demoUuid, intFromEnv, jurisdictionRows, JurisdictionKind, municipalityRows, prng, progress, unit, type JurisdictionRow, type Logger } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { AgeBand, CaseStatus, CloseReason, ContactChannel, Need, ReferralStatus, ReferralTarget, Sex } from '../enums';
import { noteKeyring, place, seal, type Keyring } from '../notes';

/**
 * Deterministic demo data: about 50,000 cases by default (`CONSULTATION_DEMO_CASES`, e.g. 1000000
 * for benchmarks), spread over the municipalities by kind (a designated city has many more cases
 * than a village), opened between FY2024 and October 2026, with contacts, referrals to the
 * second line along the state machine, and closures. Every row is `is_demo`. Desk and receiving
 * organisation ids are those of the directory's demo organisations (same deterministic ids). A
 * second start adds nothing.
 */
const WEIGHT: Partial<Record<JurisdictionKind, number>> = {
  DESIGNATED_CITY: 40,
  CORE_CITY: 12,
  SPECIAL_WARD: 10,
  OTHER_CITY: 3,
  TOWN: 1,
  VILLAGE: 0.4,
};
const START = Date.UTC(2024, 3, 1);
const END = Date.UTC(2026, 9, 31);
const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

function weighted<T>(r: number, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  let x = r * total;
  for (const [value, w] of table) {
    x -= w;
    if (x < 0) return value;
  }
  const last = table[table.length - 1];
  if (!last) throw new Error('empty table');
  return last[0];
}

const AGE: [AgeBand, number][] = [
  [AgeBand.UNDER_20, 8],
  [AgeBand.AGE_20S, 16],
  [AgeBand.AGE_30S, 17],
  [AgeBand.AGE_40S, 19],
  [AgeBand.AGE_50S, 16],
  [AgeBand.AGE_60S, 10],
  [AgeBand.AGE_70S, 7],
  [AgeBand.AGE_80_AND_OVER, 5],
  [AgeBand.UNKNOWN, 2],
];
const SEX: [Sex, number][] = [
  [Sex.FEMALE, 52],
  [Sex.MALE, 45],
  [Sex.OTHER, 1],
  [Sex.UNKNOWN, 2],
];
const NEEDS: [Need, number][] = [
  [Need.MENTAL_HEALTH, 45],
  [Need.DEVELOPMENTAL, 8],
  [Need.DEMENTIA, 7],
  [Need.ADDICTION, 5],
  [Need.SUICIDE_RISK, 5],
  [Need.EMPLOYMENT, 7],
  [Need.HOUSING, 5],
  [Need.FAMILY, 8],
  [Need.HARDSHIP, 6],
  [Need.MATERNAL_CHILD_HEALTH, 3],
  [Need.OTHER, 1],
];
const CHANNEL: [ContactChannel, number][] = [
  [ContactChannel.PHONE, 40],
  [ContactChannel.VISIT, 30],
  [ContactChannel.OUTREACH, 15],
  [ContactChannel.ONLINE, 8],
  [ContactChannel.EMAIL, 7],
];

interface Targets {
  desk: string;
  referTo: [ReferralTarget, string][];
  referFrom: [ReferralTarget, string][];
}

/** The directory's demo organisation ids (same derivation as the directory's seed). */
function targetsOf(m: JurisdictionRow, prefecture: JurisdictionRow): Targets {
  const org = (at: JurisdictionRow, name: string) => demoUuid('organization', at.code, name);
  const city = m.kind !== JurisdictionKind.TOWN && m.kind !== JurisdictionKind.VILLAGE;
  const centreName = prefecture.code === '130001' ? `${prefecture.name}中部精神保健福祉センター` : `${prefecture.name}精神保健福祉センター`;
  const mhwCentre = m.kind === JurisdictionKind.DESIGNATED_CITY ? org(m, `${m.name}精神保健福祉センター`) : org(prefecture, centreName);
  const referTo: [ReferralTarget, string][] = [
    [ReferralTarget.MENTAL_HEALTH_WELFARE_CENTRE, mhwCentre],
    [ReferralTarget.DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE, org(prefecture, `${prefecture.name}発達障害者支援センター`)],
    [ReferralTarget.MEDICAL_INSTITUTION, org(m, city ? `${m.name}みどり病院（デモ）` : `${m.name}こころのクリニック（デモ）`)],
  ];
  if (m.runsPublicHealthCentre && m.kind !== JurisdictionKind.DESIGNATED_CITY) referTo.push([ReferralTarget.PUBLIC_HEALTH_CENTRE, org(m, `${m.name}保健所`)]);
  referTo.push(
    [ReferralTarget.COMMUNITY_GENERAL_SUPPORT_CENTRE, org(m, `${m.name}第1地域包括支援センター`)],
    [ReferralTarget.CONSULTATION_SUPPORT_PROVIDER, org(m, `相談支援事業所 ${m.name}ひだまり`)],
  );
  if (city) {
    referTo.push(
      [ReferralTarget.CORE_CONSULTATION_SUPPORT_CENTRE, org(m, `${m.name}基幹相談支援センター`)],
      [ReferralTarget.PSYCHIATRIC_HOSPITAL, org(m, `${m.name}みどり病院（デモ）`)],
    );
  }
  // Who refers people back to the municipal desk: the second line, the hospital after discharge, the support centres.
  const referFrom = referTo.filter(
    ([kind]) => kind !== ReferralTarget.DEVELOPMENTAL_DISABILITIES_SUPPORT_CENTRE && kind !== ReferralTarget.MEDICAL_INSTITUTION,
  );
  return { desk: org(m, `${m.name}障害福祉課 精神保健福祉相談窓口`), referTo, referFrom };
}

/** Column arrays for one bulk INSERT … SELECT FROM unnest(…). */
class Batch {
  readonly columns: unknown[][];
  constructor(
    readonly table: string,
    readonly names: readonly string[],
    readonly types: readonly string[],
  ) {
    this.columns = names.map(() => []);
  }
  push(...values: unknown[]) {
    values.forEach((v, i) => this.columns[i]?.push(v));
  }
  get size() {
    return this.columns[0]?.length ?? 0;
  }
  async flush(db: DataSource) {
    if (this.size === 0) return;
    // An array column travels as its '{…}' literal (unnest would flatten a 2-D array): `text[]` here
    // means "sent as text, cast back to text[]".
    const params = this.types.map((t, i) => `$${i + 1}::${t.endsWith('[]') ? 'text' : t}[]`).join(', ');
    const select = this.types.map((t, i) => (t.endsWith('[]') ? `c${i}::${t}` : `c${i}`)).join(', ');
    const columns = this.types.map((_, i) => `c${i}`).join(', ');
    await db.query(`INSERT INTO ${this.table} (${this.names.join(', ')}) SELECT ${select} FROM unnest(${params}) AS u(${columns})`, this.columns);
    for (const c of this.columns) c.length = 0;
  }
}

export interface DemoCase {
  id: string;
  municipality: JurisdictionRow;
}

export async function seedConsultation(db: DataSource, logger: Logger): Promise<void> {
  const [existing] = await db.query<{ present: boolean }[]>('SELECT EXISTS (SELECT 1 FROM consultation_case WHERE is_demo) AS present');
  if (existing?.present) return;
  const started = Date.now();
  const total = intFromEnv('CONSULTATION_DEMO_CASES', 50_000);
  const keyring: Keyring = noteKeyring();
  const rows = jurisdictionRows();
  const prefectures = new Map(rows.filter((r) => r.kind === JurisdictionKind.PREFECTURE).map((r) => [r.code, r]));
  const municipalities = municipalityRows(rows);
  const weightSum = municipalities.reduce((s, m) => s + (WEIGHT[m.kind] ?? 1), 0);
  const cases = new Batch(
    'consultation_case',
    [
      'id',
      'municipality_code',
      'desk_organization_id',
      'client_reference',
      'age_band',
      'sex',
      'needs',
      'status',
      'close_reason',
      'opened_on',
      'first_contact_on',
      'closed_on',
      'is_demo',
    ],
    ['uuid', 'char(6)', 'uuid', 'text', 'text', 'text', 'text[]', 'text', 'text', 'date', 'date', 'date', 'boolean'],
  );
  const contacts = new Batch(
    'case_contact',
    ['id', 'case_id', 'municipality_code', 'contacted_on', 'channel', 'staff_reference', 'is_demo'],
    ['uuid', 'uuid', 'char(6)', 'date', 'text', 'text', 'boolean'],
  );
  const referrals = new Batch(
    'referral',
    [
      'id',
      'case_id',
      'municipality_code',
      'target',
      'to_organization_id',
      'status',
      'reason_key_id',
      'reason_ciphertext',
      'response_key_id',
      'response_ciphertext',
      'requested_on',
      'responded_on',
      'ended_on',
      'from_kind',
      'from_organization_id',
      'is_demo',
    ],
    ['uuid', 'uuid', 'char(6)', 'text', 'uuid', 'text', 'text', 'bytea', 'text', 'bytea', 'date', 'date', 'date', 'text', 'uuid', 'boolean'],
  );
  /**
   * Ids unique by construction (a seeded generator's streams can overlap at a million rows): the
   * municipality's code, a table tag and a sequence number, in UUID version-4 layout.
   */
  const sequence = new Map<string, number>();
  const uuidOf = (code: string, tag: 'c' | 'k' | 'r') => {
    const n = (sequence.get(code + tag) ?? 0) + 1;
    sequence.set(code + tag, n);
    const hex = n.toString(16).padStart(15, '0');
    return `${code}${tag === 'c' ? '0c' : tag === 'k' ? '0d' : '0e'}-${hex.slice(0, 4)}-4${hex.slice(4, 7)}-8${hex.slice(7, 10)}-0000000${hex.slice(10, 15)}`;
  };
  const reasonText = '（デモ）市町村相談窓口から専門的支援の依頼';
  const inboundText = '（デモ）退院・支援終了に伴い市町村での継続支援を依頼';
  let made = 0;
  let contactCount = 0;
  let referralCount = 0;
  const report = progress(logger, 'consultation demo cases', total);
  for (const m of municipalities) {
    const prefecture = prefectures.get(m.prefectureCode);
    if (!prefecture) continue;
    const r = prng(Math.floor(unit('consultation', m.code) * 0x1_0000_0000));
    const n = Math.round((total * (WEIGHT[m.kind] ?? 1)) / weightSum);
    const targets = targetsOf(m, prefecture);
    for (let i = 0; i < n; i += 1) {
      const id = uuidOf(m.code, 'c');
      const opened = START + Math.floor(r() * ((END - START) / DAY)) * DAY;
      const needs = new Set<Need>([weighted(r(), NEEDS)]);
      while (r() < 0.35 && needs.size < 4) needs.add(weighted(r(), NEEDS));
      let last = opened;
      let firstContact: number | null = null;
      if (r() < 0.88) {
        firstContact = Math.min(END, opened + Math.floor(r() * r() * 21) * DAY);
        const k = 1 + Math.floor(r() * 4);
        for (let c = 0; c < k; c += 1) {
          const on = c === 0 ? firstContact : Math.min(END, last + (1 + Math.floor(r() * 30)) * DAY);
          contacts.push(uuidOf(m.code, 'k'), id, m.code, iso(on), weighted(r(), CHANNEL), `staff-${m.code}-${1 + Math.floor(r() * 6)}`, true);
          last = Math.max(last, on);
          contactCount += 1;
        }
      }
      let openReferral = false;
      if (r() < 0.2) {
        const [target, org] = targets.referTo[Math.floor(r() * targets.referTo.length)] ??
          targets.referTo[0] ?? [ReferralTarget.MEDICAL_INSTITUTION, targets.desk];
        const requested = Math.min(END, last + Math.floor(1 + r() * 20) * DAY);
        const age = (END - requested) / DAY;
        const status: ReferralStatus =
          age < 7
            ? ReferralStatus.REQUESTED
            : age < 20
              ? weighted(r(), [
                  [ReferralStatus.ACCEPTED, 5],
                  [ReferralStatus.REQUESTED, 1],
                  [ReferralStatus.DECLINED, 1],
                ])
              : age < 90
                ? weighted(r(), [
                    [ReferralStatus.IN_PROGRESS, 6],
                    [ReferralStatus.COMPLETED, 3],
                    [ReferralStatus.DECLINED, 1],
                    [ReferralStatus.CANCELLED, 1],
                  ])
                : weighted(r(), [
                    [ReferralStatus.COMPLETED, 8],
                    [ReferralStatus.DECLINED, 1],
                    [ReferralStatus.CANCELLED, 1],
                    [ReferralStatus.IN_PROGRESS, 1],
                  ]);
        const responded =
          status === ReferralStatus.REQUESTED || status === ReferralStatus.CANCELLED ? null : Math.min(END, requested + Math.floor(r() * r() * 28) * DAY);
        const ended = [ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.CANCELLED].includes(status)
          ? Math.min(END, (responded ?? requested) + Math.floor(r() * 60) * DAY)
          : null;
        const referralId = uuidOf(m.code, 'r');
        const reason = seal(keyring, reasonText, place('referral', 'reason', referralId));
        const response =
          status === ReferralStatus.COMPLETED || status === ReferralStatus.DECLINED || status === ReferralStatus.CANCELLED
            ? seal(keyring, `（デモ）${status}`, place('referral', 'response', referralId))
            : null;
        referrals.push(
          referralId,
          id,
          m.code,
          target,
          org,
          status,
          reason.keyId,
          reason.data,
          response?.keyId ?? null,
          response?.data ?? null,
          iso(requested),
          responded === null ? null : iso(responded),
          ended === null ? null : iso(ended),
          ReferralTarget.MUNICIPALITY,
          null,
          true,
        );
        referralCount += 1;
        openReferral = ended === null;
        last = Math.max(last, ended ?? requested);
      }
      // About one case in twenty came to the desk as a referral from the second line or a hospital (the case opened the day it was asked).
      const from = targets.referFrom[Math.floor(r() * targets.referFrom.length)];
      if (from && r() < 0.05) {
        const age = (END - opened) / DAY;
        const inbound: ReferralStatus =
          age < 7
            ? ReferralStatus.REQUESTED
            : weighted(r(), [
                [ReferralStatus.ACCEPTED, 2],
                [ReferralStatus.IN_PROGRESS, 3],
                [ReferralStatus.COMPLETED, 4],
              ]);
        const responded = inbound === ReferralStatus.REQUESTED ? null : Math.min(END, opened + Math.floor(r() * 7) * DAY);
        const ended = inbound === ReferralStatus.COMPLETED && responded !== null ? Math.min(END, responded + Math.floor(r() * 60) * DAY) : null;
        const referralId = uuidOf(m.code, 'r');
        const reason = seal(keyring, inboundText, place('referral', 'reason', referralId));
        const response = ended === null ? null : seal(keyring, '（デモ）市町村で支援を継続', place('referral', 'response', referralId));
        referrals.push(
          referralId,
          id,
          m.code,
          ReferralTarget.MUNICIPALITY,
          targets.desk,
          inbound,
          reason.keyId,
          reason.data,
          response?.keyId ?? null,
          response?.data ?? null,
          iso(opened),
          responded === null ? null : iso(responded),
          ended === null ? null : iso(ended),
          from[0],
          from[1],
          true,
        );
        referralCount += 1;
      }
      let status = openReferral ? CaseStatus.REFERRED : CaseStatus.OPEN;
      let closeReason: CloseReason | null = null;
      let closed: number | null = null;
      if (!openReferral && (END - last) / DAY > 30 && r() < 0.7) {
        status = CaseStatus.CLOSED;
        closeReason = weighted(r(), [
          [CloseReason.RESOLVED, 6],
          [CloseReason.CONTINUING_ELSEWHERE, 2],
          [CloseReason.WITHDREW, 1],
          [CloseReason.MOVED_AWAY, 1],
          [CloseReason.NO_CONTACT, 1],
        ]);
        closed = Math.min(END, last + Math.floor(r() * 30) * DAY);
      }
      cases.push(
        id,
        m.code,
        targets.desk,
        `C${m.code}-${String(i + 1).padStart(6, '0')}`,
        weighted(r(), AGE),
        weighted(r(), SEX),
        `{${[...needs].join(',')}}`,
        status,
        closeReason,
        iso(opened),
        firstContact === null ? null : iso(firstContact),
        closed === null ? null : iso(closed),
        true,
      );
      made += 1;
      // Cases first: contacts and referrals reference them.
      if (cases.size >= 10_000) {
        await cases.flush(db);
        await contacts.flush(db);
        await referrals.flush(db);
        report.update(made);
      }
    }
  }
  await cases.flush(db);
  await contacts.flush(db);
  await referrals.flush(db);
  // VACUUM sets the visibility map, without which the planner will not use the covering indexes
  // for index-only scans of freshly loaded rows (it chose a sequential scan at 1M cases).
  logger.info('consultation demo data: VACUUM ANALYZE');
  for (const table of ['consultation_case', 'case_contact', 'referral']) await db.query(`VACUUM ANALYZE ${table}`);
  report.finish({ contacts: contactCount, referrals: referralCount });
  logger.info({ cases: made, contacts: contactCount, referrals: referralCount, ms: Date.now() - started }, 'consultation demo data loaded');
}
