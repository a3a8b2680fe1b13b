import { fiscalYearOf, insertIgnoring, jurisdictionRows, type Logger } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { DailyLifeArea } from '../entities/daily-life-area';
import { Forum, ForumMember } from '../entities/forum';
import { Jurisdiction } from '../entities/jurisdiction';
import { Organization } from '../entities/organization';
import { Region } from '../entities/region';
import { ForumCycle, ForumMeeting } from '../entities/forum-record';
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
    await insertIgnoring(db, Region, demo.regions.map((r) => ({ ...r, isDemo: true })));
    await insertIgnoring(
      db,
      Jurisdiction,
      jurisdictions.map((j) => ({ ...j, regionId: demo.regionOf.get(j.code) ?? null })),
    );
    await insertIgnoring(db, DailyLifeArea, demo.areas.map((a) => ({ ...a, isDemo: true })));
    await insertIgnoring(
      db,
      Organization,
      demo.organizations.map(({ phone, email, postalCode, address, ...o }) => ({
        ...o,
        contact: { phone, email, postalCode, address, website: null },
        isDemo: true,
      })) as Organization[],
    );
    await insertIgnoring(db, Forum, demo.forums.map((f) => ({ ...f, meetingsLastYear: heldLastYear.get(f.id) ?? 0, isDemo: true })));
    await insertIgnoring(db, ForumMember, demo.members);
    await insertIgnoring(db, ForumMeeting, records.meetings.map((m) => ({ ...m, version: 1, isDemo: true })));
    await insertIgnoring(db, ForumCycle, records.cycles.map((c) => ({ ...c, version: 1, isDemo: true })) as ForumCycle[]);
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
