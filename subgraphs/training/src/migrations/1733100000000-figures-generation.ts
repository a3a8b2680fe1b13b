import { generationMigrationSql } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SQL = generationMigrationSql({
  staff_figures: 'staff_member',
  enrolment_figures: 'enrolment',
  session_figures: 'training_session',
  course_figures: 'course',
});

/**
 * A generation number for the training figures (kit `generationMigrationSql`): every committed
 * change to staff, enrolments, sessions or courses advances it, and the subgraph reuses the national
 * figures of a fiscal year until it moves.
 */
export class TrainingFiguresGeneration1733100000000 implements MigrationInterface {
  name = 'TrainingFiguresGeneration1733100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(SQL.up);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(SQL.down);
  }
}
