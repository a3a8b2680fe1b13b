import { auditTableUp, idempotencyTableUp } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { NATIONAL_BUDGETS } from '../program';

/**
 * The adviser-support subgraph's first schema: the programs (national budgets, participation), advisers
 * and supporters, support requests, reported indicator values, practice cases; the kit's idempotency
 * and audit tables. The national budgets are real reference data and are loaded here, seed or not.
 */
export class AdviserSupportInitial1732600000000 implements MigrationInterface {
  name = 'AdviserSupportInitial1732600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE national_budget (
        program text NOT NULL CHECK (program IN ('CONSTRUCTION_PROMOTION','CONSTRUCTION_SUPPORT')),
        fiscal_year int NOT NULL,
        thousand_yen int NOT NULL CHECK (thousand_yen >= 0),
        source text NOT NULL,
        PRIMARY KEY (program, fiscal_year)
      );

      CREATE TABLE program_participation (
        id uuid PRIMARY KEY,
        jurisdiction_code char(6) NOT NULL,
        fiscal_year int NOT NULL,
        program text NOT NULL CHECK (program IN ('CONSTRUCTION_PROMOTION','CONSTRUCTION_SUPPORT')),
        item_numbers int[] NOT NULL,
        budget_thousand_yen int CHECK (budget_thousand_yen >= 0),
        version int NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        CONSTRAINT program_participation_once UNIQUE (jurisdiction_code, fiscal_year, program),
        CHECK (item_numbers <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14]),
        CHECK (program <> 'CONSTRUCTION_PROMOTION' OR 1 = ANY (item_numbers)),
        CHECK (program <> 'CONSTRUCTION_SUPPORT' OR cardinality(item_numbers) = 0)
      );
      CREATE INDEX program_participation_year ON program_participation (fiscal_year, jurisdiction_code);

      CREATE TABLE adviser (
        id uuid PRIMARY KEY,
        display_name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('WIDE_AREA','PREFECTURE_EMBEDDED')),
        affiliation text NOT NULL,
        expertise_items int[] NOT NULL,
        expertise text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false
      );
      CREATE INDEX adviser_kind ON adviser (kind);

      CREATE TABLE adviser_assignment (
        adviser_id uuid NOT NULL REFERENCES adviser (id),
        jurisdiction_code char(6) NOT NULL,
        fiscal_year int NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (adviser_id, jurisdiction_code, fiscal_year)
      );
      CREATE INDEX adviser_assignment_jurisdiction ON adviser_assignment (jurisdiction_code, fiscal_year);

      CREATE TABLE promotion_supporter (
        id uuid PRIMARY KEY,
        display_name text NOT NULL,
        jurisdiction_code char(6) NOT NULL,
        fiscal_year int NOT NULL,
        background text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false
      );
      CREATE INDEX promotion_supporter_jurisdiction ON promotion_supporter (jurisdiction_code, fiscal_year);

      CREATE TABLE support_request (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        jurisdiction_code char(6) NOT NULL,
        fiscal_year int NOT NULL,
        mode text NOT NULL CHECK (mode IN ('ONLINE','PHONE','EMAIL','ON_SITE_TECHNICAL_ADVICE','PREFECTURAL_TRAINING')),
        topic_item int NOT NULL CHECK (topic_item BETWEEN 1 AND 14),
        subject text NOT NULL,
        detail text NOT NULL,
        status text NOT NULL CHECK (status IN ('REQUESTED','ACCEPTED','IN_PROGRESS','ON_HOLD','COMPLETED','REJECTED','CANCELLED')),
        adviser_id uuid REFERENCES adviser (id),
        outcome text,
        status_note text,
        requested_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        version int NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        CHECK (status NOT IN ('ACCEPTED','IN_PROGRESS','ON_HOLD','COMPLETED') OR adviser_id IS NOT NULL),
        CHECK (status <> 'COMPLETED' OR outcome IS NOT NULL)
      );
      CREATE INDEX support_request_jurisdiction ON support_request (jurisdiction_code, requested_at);
      CREATE INDEX support_request_status ON support_request (status);
      CREATE INDEX support_request_adviser ON support_request (adviser_id);

      CREATE TABLE indicator_value (
        jurisdiction_code char(6) NOT NULL,
        fiscal_year int NOT NULL,
        indicator text NOT NULL,
        value double precision NOT NULL,
        weight double precision,
        target double precision,
        source text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        PRIMARY KEY (jurisdiction_code, fiscal_year, indicator)
      );
      CREATE INDEX indicator_value_year ON indicator_value (fiscal_year, jurisdiction_code);

      CREATE TABLE practice_case (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        jurisdiction_code char(6) NOT NULL,
        fiscal_year int NOT NULL,
        item_numbers int[] NOT NULL CHECK (item_numbers <@ ARRAY[1,2,3,4,5,6,7,8,9,10,11,12,13,14]),
        summary text NOT NULL,
        tags text[] NOT NULL,
        search_text text NOT NULL,
        is_demo boolean NOT NULL DEFAULT false
      );
      CREATE INDEX practice_case_items ON practice_case USING gin (item_numbers);
      CREATE INDEX practice_case_jurisdiction ON practice_case (jurisdiction_code);
    `);
    for (const b of NATIONAL_BUDGETS) {
      await db.query('INSERT INTO national_budget (program, fiscal_year, thousand_yen, source) VALUES ($1, $2, $3, $4)', [
        b.program,
        b.fiscalYear,
        b.thousandYen,
        b.source,
      ]);
    }
    await idempotencyTableUp(db);
    await auditTableUp(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP TABLE practice_case, indicator_value, support_request, promotion_supporter, adviser_assignment, adviser, program_participation, national_budget, idempotency_key, audit_log',
    );
    await db.query('DROP FUNCTION audit_log_append_only');
  }
}
