import { insertIgnoring, jurisdictionRows, type Logger } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { Adviser, AdviserAssignment, PromotionSupporter } from '../entities/adviser';
import { IndicatorValue } from '../entities/evaluation';
import { PracticeCase } from '../entities/practice-case';
import { ProgramParticipation } from '../entities/program';
import { SupportRequest } from '../entities/support-request';
import { buildDemoData } from './demo';

/** Loads the demo data in one transaction; fixed ids and INSERT … ON CONFLICT DO NOTHING make a second run add nothing. */
export async function seedAdviserSupport(dataSource: DataSource, logger: Logger): Promise<void> {
  const started = Date.now();
  const demo = buildDemoData(jurisdictionRows());
  await dataSource.transaction(async (db) => {
    await insertIgnoring(db, ProgramParticipation, demo.participations);
    await insertIgnoring(db, Adviser, demo.advisers);
    await insertIgnoring(db, AdviserAssignment, demo.assignments);
    await insertIgnoring(db, PromotionSupporter, demo.supporters);
    await insertIgnoring(db, SupportRequest, demo.requests as SupportRequest[]);
    await insertIgnoring(db, IndicatorValue, demo.values);
    await insertIgnoring(db, PracticeCase, demo.cases);
  });
  logger.info(
    {
      participations: demo.participations.length,
      advisers: demo.advisers.length,
      supportRequests: demo.requests.length,
      indicatorValues: demo.values.length,
      practiceCases: demo.cases.length,
      ms: Date.now() - started,
    },
    'adviser-support demo data loaded',
  );
}
