import { insertIgnoring, type Logger } from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { Course } from '../entities/course';
import { Enrolment } from '../entities/enrolment';
import { TrainingSession } from '../entities/session';
import { StaffMember } from '../entities/staff-member';
import { buildTrainingDemo } from './demo';

/** Loads the demo training data in one transaction; ids are fixed by their inputs and existing rows are skipped, so a second run adds nothing. */
export async function seedTraining(dataSource: DataSource, logger: Logger): Promise<void> {
  const started = Date.now();
  const demo = buildTrainingDemo();
  await dataSource.transaction(async (db) => {
    await insertIgnoring(db, Course, demo.courses.map((c) => ({ ...c, isDemo: true })) as Course[]);
    await insertIgnoring(db, TrainingSession, demo.sessions.map((s) => ({ ...s, isDemo: true })) as TrainingSession[]);
    await insertIgnoring(db, StaffMember, demo.staff.map((s) => ({ ...s, isDemo: true })) as StaffMember[]);
    await insertIgnoring(db, Enrolment, demo.enrolments.map((e) => ({ ...e, isDemo: true })) as Enrolment[]);
  });
  logger.info(
    { courses: demo.courses.length, sessions: demo.sessions.length, staff: demo.staff.length, enrolments: demo.enrolments.length, ms: Date.now() - started },
    'training demo data loaded',
  );
}
