import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * This migration's function and triggers (`CREATE` or `CREATE OR REPLACE` before it), which
 * FiguresGenerationSettled1732800000000 replaces and restores when reverted.
 */
export const DEFERRED_ROW_TRIGGERS = `FUNCTION advance_figures_generation() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM nextval('figures_generation'); RETURN NULL; END $$;
      CREATE CONSTRAINT TRIGGER case_figures AFTER INSERT OR UPDATE OR DELETE ON consultation_case
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION advance_figures_generation();
      CREATE CONSTRAINT TRIGGER contact_figures AFTER INSERT OR UPDATE OR DELETE ON case_contact
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION advance_figures_generation();
      CREATE CONSTRAINT TRIGGER referral_figures AFTER INSERT OR UPDATE OR DELETE ON referral
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION advance_figures_generation();`;

/**
 * A generation number for the consultation figures: every committed change to a case, contact or
 * referral advances it (a deferred trigger, so it moves at commit), and a subgraph reuses figures it
 * computed for a period until the generation moves. A sequence, not a counter row: writers never
 * queue behind one another for it.
 */
export class FiguresGeneration1732700000000 implements MigrationInterface {
  name = 'FiguresGeneration1732700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE SEQUENCE figures_generation; CREATE ${DEFERRED_ROW_TRIGGERS}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP TRIGGER case_figures ON consultation_case; DROP TRIGGER contact_figures ON case_contact; DROP TRIGGER referral_figures ON referral;
      DROP FUNCTION advance_figures_generation(); DROP SEQUENCE figures_generation;
    `);
  }
}
