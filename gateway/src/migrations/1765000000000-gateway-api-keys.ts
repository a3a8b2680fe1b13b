import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The gateway's own database: vendor API keys. Only the SHA-256 of each key's secret is stored; the
 * plaintext is shown once, when the key is made, and never kept.
 */
export class GatewayApiKeys1765000000000 implements MigrationInterface {
  name = 'GatewayApiKeys1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE api_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key_id text NOT NULL UNIQUE CHECK (key_id ~ '^[a-z0-9]{12}$'),
        name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
        secret_sha256 bytea NOT NULL CHECK (length(secret_sha256) = 32),
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE api_key');
  }
}
