import type { MigrationInterface, QueryRunner } from 'typeorm';
import { apply, FY } from './1733000000000-figure-cells';

/**
 * The referral cells of the figures (1733000000000-figure-cells), by direction: the municipality's own
 * referrals are referralsMade (with their response days and completions), the others referralsReceived.
 */
const referralCells = (rows: string, sign: number) => `
  SELECT ${FY('requested_on')} AS fy, municipality_code AS m,
         CASE WHEN from_kind = 'MUNICIPALITY' THEN 'referralsMade' ELSE 'referralsReceived' END AS metric, '' AS cat, ${sign} AS n FROM ${rows}
  UNION ALL SELECT ${FY('requested_on')}, municipality_code, 'responseDays', (responded_on - requested_on)::text, ${sign} FROM ${rows}
    WHERE responded_on IS NOT NULL AND from_kind = 'MUNICIPALITY'
  UNION ALL SELECT ${FY('ended_on')}, municipality_code, 'referralsCompleted', '', ${sign} FROM ${rows}
    WHERE status = 'COMPLETED' AND ended_on IS NOT NULL AND from_kind = 'MUNICIPALITY'`;

/**
 * The second line in both directions (issue 15, point 5): a referral is made by the municipality
 * (`from_kind` MUNICIPALITY, as every referral so far) or by another organisation to the municipal
 * desk (`from_kind` its kind, `from_organization_id` the sender, `target` MUNICIPALITY). The covering
 * indexes of the figures carry `from_kind`, so the year's counts stay index-only scans, and the figure
 * cells' triggers count the two directions apart.
 */
export class ReferralsBothWays1733300000000 implements MigrationInterface {
  name = 'ReferralsBothWays1733300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE referral
        ADD COLUMN from_kind text NOT NULL DEFAULT 'MUNICIPALITY',
        ADD COLUMN from_organization_id uuid,
        ADD CONSTRAINT referral_one_end_municipal CHECK ((from_kind = 'MUNICIPALITY') <> (target = 'MUNICIPALITY')),
        ADD CONSTRAINT referral_sender_named CHECK ((from_kind = 'MUNICIPALITY') = (from_organization_id IS NULL));
      CREATE INDEX referral_sent ON referral (from_organization_id, requested_on) WHERE from_organization_id IS NOT NULL;
      DROP INDEX referral_requested;
      CREATE INDEX referral_requested ON referral (requested_on) INCLUDE (municipality_code, responded_on, from_kind);
      DROP INDEX referral_completed;
      CREATE INDEX referral_completed ON referral (ended_on) INCLUDE (municipality_code, from_kind) WHERE status = 'COMPLETED';
    `);
    // Every existing referral is the municipality's (the column's default), so the cells stand; only the
    // triggers learn the direction.
    await db.query(`
      CREATE OR REPLACE FUNCTION referral_cells_insert() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN ${apply(referralCells('new_rows', 1))}; RETURN NULL; END $$;
      CREATE OR REPLACE FUNCTION referral_cells_update() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN ${apply(`${referralCells('new_rows', 1)} UNION ALL ${referralCells('old_rows', -1)}`)}; RETURN NULL; END $$;
      CREATE OR REPLACE FUNCTION referral_cells_delete() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN ${apply(referralCells('old_rows', -1))}; RETURN NULL; END $$;`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      DROP INDEX referral_sent;
      DROP INDEX referral_requested;
      CREATE INDEX referral_requested ON referral (requested_on) INCLUDE (municipality_code, responded_on);
      DROP INDEX referral_completed;
      CREATE INDEX referral_completed ON referral (ended_on) INCLUDE (municipality_code) WHERE status = 'COMPLETED';
      ALTER TABLE referral DROP CONSTRAINT referral_one_end_municipal, DROP CONSTRAINT referral_sender_named, DROP COLUMN from_kind, DROP COLUMN from_organization_id;
    `);
  }
}
