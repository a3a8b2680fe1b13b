import { auditTableUp, idempotencyTableUp } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The training subgraph's first schema: courses, sessions, staff members, enrolments; idempotency keys and the audit log. */
export class TrainingInitial1733000000000 implements MigrationInterface {
  name = 'TrainingInitial1733000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE course (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        organiser_kind text NOT NULL CHECK (organiser_kind IN ('NATIONAL_SECRETARIAT','PREFECTURE','MHW_CENTRE','PUBLIC_HEALTH_CENTRE','DESIGNATED_CITY')),
        organiser_jurisdiction_code char(6),
        organiser_organization_id uuid,
        audience text NOT NULL CHECK (audience IN ('MUNICIPAL_CONSULTATION_STAFF','ADVISERS','COMMUNITY_TRANSITION_STAFF','CONSTRUCTION_PROMOTION_SUPPORTERS','PEER_SUPPORTERS')),
        curriculum text[] NOT NULL DEFAULT '{}',
        program_item smallint CHECK (program_item BETWEEN 1 AND 14),
        is_demo boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((organiser_kind = 'NATIONAL_SECRETARIAT') = (organiser_jurisdiction_code IS NULL))
      );
      CREATE INDEX course_organiser ON course (organiser_jurisdiction_code);
      CREATE INDEX course_organiser_org ON course (organiser_organization_id);

      CREATE TABLE training_session (
        id uuid PRIMARY KEY,
        course_id uuid NOT NULL REFERENCES course (id),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        fiscal_year smallint NOT NULL,
        delivery text NOT NULL CHECK (delivery IN ('ONLINE','ON_SITE')),
        venue_jurisdiction_code char(6),
        capacity integer NOT NULL CHECK (capacity BETWEEN 1 AND 1000),
        state text NOT NULL CHECK (state IN ('SCHEDULED','OPEN','FULL','HELD','CANCELLED')),
        completion_serial integer NOT NULL DEFAULT 0,
        is_demo boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        CHECK (ends_on >= starts_on),
        CHECK ((delivery = 'ON_SITE') = (venue_jurisdiction_code IS NOT NULL))
      );
      CREATE INDEX training_session_course ON training_session (course_id, starts_on);
      CREATE INDEX training_session_fy ON training_session (fiscal_year, state);

      CREATE TABLE staff_member (
        id uuid PRIMARY KEY,
        organization_id uuid NOT NULL,
        jurisdiction_code char(6) NOT NULL,
        municipality_code char(6),
        display_name text NOT NULL,
        qualifications text[] NOT NULL DEFAULT '{}',
        consultation_staff boolean NOT NULL,
        is_demo boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX staff_member_organization ON staff_member (organization_id);
      CREATE INDEX staff_member_jurisdiction ON staff_member (jurisdiction_code);
      CREATE INDEX staff_member_municipality ON staff_member (municipality_code);

      CREATE TABLE enrolment (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        session_id uuid NOT NULL REFERENCES training_session (id),
        staff_id uuid NOT NULL REFERENCES staff_member (id),
        state text NOT NULL CHECK (state IN ('WAIT_LISTED','ENROLLED','ATTENDED','ABSENT','COMPLETED','CANCELLED')),
        requested_at timestamptz NOT NULL DEFAULT now(),
        completed_on date,
        certificate_number text UNIQUE,
        is_demo boolean NOT NULL DEFAULT false,
        version integer NOT NULL DEFAULT 1,
        CHECK ((state = 'COMPLETED') = (certificate_number IS NOT NULL AND completed_on IS NOT NULL))
      );
      CREATE UNIQUE INDEX enrolment_one_active ON enrolment (session_id, staff_id) WHERE state <> 'CANCELLED';
      CREATE INDEX enrolment_session_state ON enrolment (session_id, state, seq);
      CREATE INDEX enrolment_staff ON enrolment (staff_id, state);
    `);
    await idempotencyTableUp(db);
    await auditTableUp(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(
      'DROP TABLE enrolment; DROP TABLE staff_member; DROP TABLE training_session; DROP TABLE course; DROP TABLE idempotency_key; DROP TABLE audit_log; DROP FUNCTION audit_log_append_only();',
    );
  }
}
