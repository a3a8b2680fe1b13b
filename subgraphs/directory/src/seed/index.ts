import { fiscalYearOf, insertIgnoring, jurisdictionRows, type Logger } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { DailyLifeArea } from '../entities/daily-life-area';
import { Forum, ForumMember } from '../entities/forum';
import { Jurisdiction } from '../entities/jurisdiction';
import { Organization } from '../entities/organization';
import { Region } from '../entities/region';
import { todayInJapan } from '../forum-records';
import { buildDemoData } from './demo';
import { buildForumRecords } from './forum-records';

/**
 * Loads the real jurisdictions and the demo directory in one transaction. Every id is fixed by its
 * inputs and every insert skips rows that exist, so a second run adds nothing.
 */
export async function seedDirectory(dataSource: DataSource, logger: Logger): Promise<void> {
  const started = Date.now();
  const jurisdictions = jurisdictionRows();
  const demo = buildDemoData(jurisdictions);
  const records = buildForumRecords(demo.forums, demo.members, todayInJapan());
  // The stored count agrees with the records the API counts `meetingsLastYear` from.
  const lastYear = fiscalYearOf(new Date()) - 1;
  const heldLastYear = new Map<string, number>();
  for (const m of records.meetings) if (m.fiscalYear === lastYear) heldLastYear.set(m.forumId, (heldLastYear.get(m.forumId) ?? 0) + 1);
  await dataSource.transaction(async (db) => {
    await insertIgnoring(
      db,
      Region,
      demo.regions.map((r) => ({ ...r, isDemo: true })),
    );
    await insertIgnoring(
      db,
      Jurisdiction,
      jurisdictions.map((j) => ({ ...j, regionId: demo.regionOf.get(j.code) ?? null })),
    );
    await insertIgnoring(
      db,
      DailyLifeArea,
      demo.areas.map((a) => ({ ...a, isDemo: true })),
    );
    await insertIgnoring(
      db,
      Organization,
      demo.organizations.map(({ phone, email, postalCode, address, ...o }) => ({
        ...o,
        contact: { phone, email, postalCode, address, website: null },
        isDemo: true,
      })) as Organization[],
    );
    await insertIgnoring(
      db,
      Forum,
      demo.forums.map((f) => ({ ...f, meetingsLastYear: heldLastYear.get(f.id) ?? 0, isDemo: true })),
    );
    await insertIgnoring(db, ForumMember, demo.members);
    // One JSON parameter per 10,000 rows (jsonb_to_recordset): tens of thousands of rows in a few statements.
    for (let i = 0; i < records.meetings.length; i += 10_000) {
      await db.query(
        `INSERT INTO forum_meeting (id, forum_id, owner_code, held_on, fiscal_year, attendance, agenda, needs_shared, decisions, is_demo)
         SELECT id, forum_id, owner_code, held_on, fiscal_year, attendance, agenda, needs_shared, decisions, true
           FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, forum_id uuid, owner_code char(6), held_on date, fiscal_year int, attendance jsonb, agenda text[], needs_shared text[], decisions text[])
         ON CONFLICT (id) DO NOTHING`,
        [
          JSON.stringify(
            records.meetings.slice(i, i + 10_000).map((m) => ({
              id: m.id,
              forum_id: m.forumId,
              owner_code: m.ownerCode,
              held_on: m.heldOn,
              fiscal_year: m.fiscalYear,
              attendance: m.attendance,
              agenda: m.agenda,
              needs_shared: m.needsShared,
              decisions: m.decisions,
            })),
          ),
        ],
      );
    }
    await db.query(
      `INSERT INTO forum_cycle (id, forum_id, owner_code, fiscal_year, goals, indicators, planned_on, checked_on, check_findings, actions, acted_on, is_demo)
       SELECT id, forum_id, owner_code, fiscal_year, goals, indicators, planned_on, checked_on, check_findings, actions, acted_on, true
         FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, forum_id uuid, owner_code char(6), fiscal_year int, goals text[], indicators jsonb, planned_on date, checked_on date, check_findings text, actions text[], acted_on date)
       ON CONFLICT (id) DO NOTHING`,
      [
        JSON.stringify(
          records.cycles.map((c) => ({
            id: c.id,
            forum_id: c.forumId,
            owner_code: c.ownerCode,
            fiscal_year: c.fiscalYear,
            goals: c.goals,
            indicators: c.indicators,
            planned_on: c.plannedOn,
            checked_on: c.checkedOn,
            check_findings: c.checkFindings,
            actions: c.actions,
            acted_on: c.actedOn,
          })),
        ),
      ],
    );
  });
  logger.info(
    {
      jurisdictions: jurisdictions.length,
      regions: demo.regions.length,
      dailyLifeAreas: demo.areas.length,
      organizations: demo.organizations.length,
      forums: demo.forums.length,
      forumMeetings: records.meetings.length,
      forumCycles: records.cycles.length,
      ms: Date.now() - started,
    },
    'directory data loaded',
  );
}
