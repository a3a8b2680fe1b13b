import { generationMigrationSql } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFERRED_ROW_TRIGGERS } from './1732700000000-figures-generation';

const SQL = generationMigrationSql({ case_figures: 'consultation_case', contact_figures: 'case_contact', referral_figures: 'referral' });

/**
 * The figures generation as the kit keeps it now (`generationMigrationSql`): statement triggers that
 * also take a shared advisory lock, and `figures_generation_settled()`. The deferred row triggers of
 * FiguresGeneration1732700000000 advanced the sequence before the change was visible, so a request
 * in that moment could keep figures without it under the new generation (found in review).
 */
export class FiguresGenerationSettled1732800000000 implements MigrationInterface {
  name = 'FiguresGenerationSettled1732800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(SQL.up);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER case_figures ON consultation_case; DROP TRIGGER contact_figures ON case_contact; DROP TRIGGER referral_figures ON referral;
      DROP FUNCTION figures_generation_settled();
      CREATE OR REPLACE ${DEFERRED_ROW_TRIGGERS}`);
  }
}
