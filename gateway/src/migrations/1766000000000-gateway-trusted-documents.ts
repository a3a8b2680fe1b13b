import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Vendors' trusted documents: submitted by an operator on a vendor's behalf (`npm run documents --
 * submit`), pending until an operator approves them; only approved documents run for safelisted
 * callers. `id` is the SHA-256 of the body as submitted (the id the vendor's tool computed);
 * `normalised_id` that of the body as the hub prints it, so the same document sent as text matches.
 */
export class GatewayTrustedDocuments1766000000000 implements MigrationInterface {
  name = 'GatewayTrustedDocuments1766000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE trusted_document (
        id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
        normalised_id text NOT NULL CHECK (normalised_id ~ '^[0-9a-f]{64}$'),
        operation_name text NOT NULL CHECK (length(operation_name) BETWEEN 1 AND 200),
        operation_type text NOT NULL CHECK (operation_type IN ('query', 'mutation', 'subscription')),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 100000),
        vendor text NOT NULL CHECK (length(btrim(vendor)) BETWEEN 1 AND 200),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        reviewed_by text,
        reviewed_at timestamptz,
        review_note text,
        CHECK ((status = 'pending') = (reviewed_at IS NULL))
      );
      CREATE INDEX trusted_document_normalised ON trusted_document (normalised_id) WHERE status = 'approved';
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE trusted_document');
  }
}
