import { generationMigrationSql } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

const SQL = generationMigrationSql({ case_figures: 'consultation_case', contact_figures: 'case_contact', referral_figures: 'referral' });

/**
 * A generation number for the consultation figures: every committed change to a case, contact or
 * referral advances it (a deferred trigger, so it moves at commit), and a subgraph reuses figures it
 * computed for a period until the generation moves. A sequence, not a counter row: writers never
 * queue behind one another for it.
 */
export class FiguresGeneration1732700000000 implements MigrationInterface {
  name = 'FiguresGeneration1732700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(SQL.up);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(SQL.down);
  }
}
