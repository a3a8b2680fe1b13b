import { demoUuid, fiscalYearOf, unit } from '@nimo/kit';
import type { ForumAttendance, ForumCycleIndicator } from '../entities/forum-record';
import { ForumMemberRole } from '../enums';
import type { ForumRow, MemberRow } from './demo';

/**
 * Demo records of the forums' work: meetings from the day each forum was set up to the day the demo
 * is loaded (never before the one, never after the other), and a PDCA cycle for each fiscal year of
 * its life — checked after the year ended, against the meetings it actually held. Deterministic for
 * a given day; every row is marked demo.
 */

export interface MeetingRow {
  id: string;
  forumId: string;
  ownerCode: string;
  heldOn: string;
  fiscalYear: number;
  attendance: ForumAttendance[];
  agenda: string[];
  needsShared: string[];
  decisions: string[];
}

export interface CycleRow {
  id: string;
  forumId: string;
  ownerCode: string;
  fiscalYear: number;
  goals: string[];
  indicators: ForumCycleIndicator[];
  plannedOn: string;
  checkedOn: string | null;
  checkFindings: string | null;
  actions: string[];
  actedOn: string | null;
}

const AGENDA = [
  '地域の精神保健医療福祉の現状と課題の共有',
  '長期入院者の地域移行・地域定着の進捗',
  'ピアサポーターの活用',
  '住まいの確保支援',
  '家族支援の取組',
  '措置入院者の退院後支援',
  '普及啓発の取組の企画',
  '個別支援事例の検討',
  '年度計画（目標・指標）の確認',
  '構築状況の評価の振り返り',
];
const NEEDS = [
  '退院後の住まいの確保が難しい',
  '夜間・休日の相談先が少ない',
  '家族の負担が大きい',
  'ひきこもり状態の方への支援が届いていない',
  '精神科医療機関と地域の連携が不足している',
  '就労の場が少ない',
  '地域住民の理解が十分でない',
  '高齢化した当事者の介護との連携',
];
const DECISIONS = [
  'ワーキンググループを設置する',
  '個別支援事例の検討会を年2回開催する',
  '住まい支援の部会を立ち上げる',
  'ピアサポーターの養成研修を実施する',
  '地域資源マップを作成する',
  '関係機関の連絡先一覧を更新する',
];
const GOALS = [
  '長期入院者の地域移行を進める',
  '相談支援の体制を関係機関で共有する',
  'ピアサポーターの活動の場を広げる',
  '住まいの確保支援の仕組みをつくる',
  '精神障害への理解を地域に広げる',
];
const FINDINGS = [
  '目標の一部は達成したが、地域移行の取組は目標に届かなかった。',
  '協議の場の開催は計画どおり。評価指標の多くで前年度を上回った。',
  '関係機関の参加が広がった一方、当事者・家族の参加が少なかった。',
];
const ACTIONS = ['次年度の目標に地域移行の数値目標を加える', '当事者・家族の参加を呼びかける', '部会の構成を見直す', '研修の回数を増やす'];

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (date: string, days: number): string => iso(new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000));
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
/** A small deterministic generator (mulberry32) seeded by one hash: numbers in [0, 1) without hashing each. */
function generator(...key: (string | number)[]): () => number {
  let state = Math.floor(unit(...key) * 0x1_0000_0000);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

type Random = () => number;
const between = (r: Random, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
/** `n` distinct items of the pool, in an order the generator fixes. */
function choose<T>(r: Random, pool: readonly T[], n: number): T[] {
  const rest = [...pool];
  return Array.from({ length: Math.min(n, pool.length) }, () => rest.splice(Math.floor(r() * rest.length), 1)[0]!);
}

export function buildForumRecords(forums: readonly ForumRow[], members: readonly MemberRow[], today: string): { meetings: MeetingRow[]; cycles: CycleRow[] } {
  const rolesOf = new Map<string, ForumMemberRole[]>();
  for (const m of members) rolesOf.set(m.forumId, [...(rolesOf.get(m.forumId) ?? []), m.role]);
  const meetings: MeetingRow[] = [];
  const cycles: CycleRow[] = [];
  const thisYear = fiscalYearOf(new Date(`${today}T00:00:00+09:00`));
  for (const forum of forums) {
    const ownerCode = forum.jurisdictionCode ?? forum.prefectureCode;
    const roles = [...new Set(rolesOf.get(forum.id) ?? [ForumMemberRole.ADMINISTRATION])];
    for (let fy = fiscalYearOf(new Date(`${forum.establishedOn}T00:00:00+09:00`)); fy <= thisYear; fy++) {
      const from = forum.establishedOn > `${fy}-04-01` ? forum.establishedOn : `${fy}-04-01`;
      const to = today < `${fy + 1}-03-31` ? today : `${fy + 1}-03-31`;
      const span = daysBetween(from, to);
      if (span < 0) continue;
      const r = generator(forum.id, fy);
      const planned = Math.max(1, Math.round(between(r, 2, 5) * Math.min(1, (span + 1) / 365)));
      const days = [...new Set(Array.from({ length: planned }, () => Math.floor(r() * (span + 1))))].sort((a, b) => a - b);
      const held = days.map((d, i): MeetingRow => {
        const heldOn = addDays(from, d);
        return {
          id: demoUuid('forum-meeting', forum.id, heldOn),
          forumId: forum.id,
          ownerCode,
          heldOn,
          fiscalYear: fy,
          attendance: roles
            .filter((role) => role === ForumMemberRole.ADMINISTRATION || r() < 0.85)
            .map((role) => ({ role, count: role === ForumMemberRole.ADMINISTRATION ? between(r, 2, 6) : between(r, 1, 3) })),
          agenda: i === 0 ? ['年度計画（目標・指標）の確認', ...choose(r, AGENDA.slice(0, 8), between(r, 1, 2))] : choose(r, AGENDA, between(r, 2, 3)),
          needsShared: choose(r, NEEDS, between(r, 1, 3)),
          decisions: choose(r, DECISIONS, between(r, 0, 2)),
        };
      });
      meetings.push(...held);
      const first = held[0];
      if (!first) continue;
      // Check after the year ended (April–June), then act about a month later: only what has happened by today.
      const checkedOn = `${fy + 1}-${String(between(r, 4, 6)).padStart(2, '0')}-${String(between(r, 10, 28)).padStart(2, '0')}`;
      const checked = checkedOn <= today;
      const actedOn = addDays(checkedOn, between(r, 14, 45));
      const acted = checked && actedOn <= today && r() < 0.85;
      const meetingsTarget = between(r, 2, 4);
      const transitionTarget = between(r, 2, 10);
      cycles.push({
        id: demoUuid('forum-cycle', forum.id, fy),
        forumId: forum.id,
        ownerCode,
        fiscalYear: fy,
        goals: choose(r, GOALS, between(r, 1, 3)),
        indicators: [
          { name: '協議の場の開催回数', unit: '回', target: meetingsTarget, actual: checked ? held.length : null },
          { name: '地域移行した長期入院者数', unit: '人', target: transitionTarget, actual: checked ? between(r, 0, transitionTarget + 3) : null },
        ],
        plannedOn: first.heldOn,
        checkedOn: checked ? checkedOn : null,
        checkFindings: checked ? FINDINGS[between(r, 0, FINDINGS.length - 1)]! : null,
        actions: acted ? choose(r, ACTIONS, between(r, 1, 2)) : [],
        actedOn: acted ? actedOn : null,
      });
    }
  }
  return { meetings, cycles };
}
