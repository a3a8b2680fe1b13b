import { auditTableUp, idempotencyTableUp } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Forums as a record of their work: their meetings (date, attendance by member role, agenda, the
 * needs and issues shared, decisions) and their PDCA cycle per fiscal year. Written by the forum's
 * own jurisdiction through the kit's write path, so the directory gets the kit's idempotency and
 * audit tables too. `owner_code` is the jurisdiction that keeps the record: the forum's municipality
 * or prefecture, or for a region forum its prefecture.
 */
export class ForumRecords1733200000000 implements MigrationInterface {
  name = 'ForumRecords1733200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE forum_meeting (
        id uuid PRIMARY KEY,
        forum_id uuid NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        owner_code char(6) NOT NULL REFERENCES jurisdiction (code),
        held_on date NOT NULL,
        fiscal_year int NOT NULL,
        attendance jsonb NOT NULL,
        agenda text[] NOT NULL CHECK (cardinality(agenda) > 0),
        needs_shared text[] NOT NULL DEFAULT '{}',
        decisions text[] NOT NULL DEFAULT '{}',
        version int NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX forum_meeting_forum ON forum_meeting (forum_id, held_on, id);
      CREATE INDEX forum_meeting_year ON forum_meeting (fiscal_year, forum_id);

      CREATE TABLE forum_cycle (
        id uuid PRIMARY KEY,
        forum_id uuid NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        owner_code char(6) NOT NULL REFERENCES jurisdiction (code),
        fiscal_year int NOT NULL,
        goals text[] NOT NULL CHECK (cardinality(goals) > 0),
        indicators jsonb NOT NULL DEFAULT '[]',
        planned_on date NOT NULL,
        checked_on date,
        check_findings text,
        actions text[] NOT NULL DEFAULT '{}',
        acted_on date,
        version int NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT forum_cycle_once UNIQUE (forum_id, fiscal_year),
        CHECK ((checked_on IS NULL) = (check_findings IS NULL)),
        CHECK (acted_on IS NULL OR checked_on IS NOT NULL)
      );
    `);
    await idempotencyTableUp(db);
    await auditTableUp(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE forum_cycle, forum_meeting, idempotency_key, audit_log');
    await db.query('DROP FUNCTION audit_log_append_only');
  }
}
