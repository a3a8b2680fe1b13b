import { auditTableUp, idempotencyTableUp } from '@nimo/kit';
import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsultationInitial1732600000000 implements MigrationInterface {
  name = 'ConsultationInitial1732600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE consultation_case (
        id uuid PRIMARY KEY,
        municipality_code char(6) NOT NULL,
        desk_organization_id uuid NOT NULL,
        client_reference text NOT NULL,
        age_band text NOT NULL,
        sex text NOT NULL,
        needs text[] NOT NULL CHECK (cardinality(needs) > 0),
        status text NOT NULL CHECK (status IN ('OPEN', 'REFERRED', 'CLOSED')),
        close_reason text,
        opened_on date NOT NULL,
        first_contact_on date,
        closed_on date,
        version int NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'CLOSED') = (close_reason IS NOT NULL AND closed_on IS NOT NULL))
      );
      -- A municipality's list (newest first) and every per-period figure (covering index).
      CREATE INDEX case_municipality_opened ON consultation_case (municipality_code, opened_on DESC, id DESC);
      CREATE INDEX case_opened ON consultation_case (opened_on) INCLUDE (municipality_code, status, needs, first_contact_on);
      CREATE INDEX case_client ON consultation_case (municipality_code, client_reference);

      CREATE TABLE case_contact (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES consultation_case (id),
        municipality_code char(6) NOT NULL,
        contacted_on date NOT NULL,
        channel text NOT NULL,
        staff_reference text NOT NULL,
        note_key_id text,
        note_ciphertext bytea,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX contact_case ON case_contact (case_id, contacted_on, id);
      CREATE INDEX contact_on ON case_contact (contacted_on) INCLUDE (municipality_code, channel);

      CREATE TABLE referral (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES consultation_case (id),
        municipality_code char(6) NOT NULL,
        target text NOT NULL,
        to_organization_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('REQUESTED', 'ACCEPTED', 'IN_PROGRESS', 'COMPLETED', 'DECLINED', 'CANCELLED')),
        reason_key_id text NOT NULL,
        reason_ciphertext bytea NOT NULL,
        response_key_id text,
        response_ciphertext bytea,
        requested_on date NOT NULL,
        responded_on date,
        ended_on date,
        version int NOT NULL DEFAULT 1,
        is_demo boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX referral_case ON referral (case_id);
      CREATE INDEX referral_received_open ON referral (to_organization_id, requested_on) WHERE status IN ('REQUESTED', 'ACCEPTED', 'IN_PROGRESS');
      CREATE INDEX referral_municipality ON referral (municipality_code, requested_on DESC, id DESC);
      CREATE INDEX referral_requested ON referral (requested_on) INCLUDE (municipality_code, responded_on);
      CREATE INDEX referral_completed ON referral (ended_on) INCLUDE (municipality_code) WHERE status = 'COMPLETED';
    `);
    await auditTableUp(db);
    await idempotencyTableUp(db);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE referral; DROP TABLE case_contact; DROP TABLE consultation_case; DROP TABLE idempotency_key');
  }
}
