import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The directory's first schema: jurisdictions, regions, daily-life areas, organisations, forums. */
export class DirectoryInitial1732500000000 implements MigrationInterface {
  name = 'DirectoryInitial1732500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE region (
        id text PRIMARY KEY,
        name text NOT NULL,
        prefecture_code char(6) NOT NULL,
        is_demo boolean NOT NULL DEFAULT true
      );
      CREATE INDEX region_prefecture ON region (prefecture_code);

      CREATE TABLE jurisdiction (
        code char(6) PRIMARY KEY,
        name text NOT NULL,
        name_kana text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PREFECTURE','DESIGNATED_CITY','CORE_CITY','SPECIAL_WARD','OTHER_CITY','TOWN','VILLAGE','ADMINISTRATIVE_WARD')),
        runs_public_health_centre boolean NOT NULL,
        administration_suspended boolean NOT NULL DEFAULT false,
        prefecture_code char(6) NOT NULL REFERENCES jurisdiction (code),
        parent_code char(6) REFERENCES jurisdiction (code),
        region_id text REFERENCES region (id)
      );
      CREATE INDEX jurisdiction_kind ON jurisdiction (kind);
      CREATE INDEX jurisdiction_prefecture ON jurisdiction (prefecture_code, code);
      CREATE INDEX jurisdiction_parent ON jurisdiction (parent_code);
      CREATE INDEX jurisdiction_region ON jurisdiction (region_id);

      CREATE TABLE daily_life_area (
        id text PRIMARY KEY,
        name text NOT NULL,
        municipality_code char(6) NOT NULL REFERENCES jurisdiction (code),
        is_demo boolean NOT NULL DEFAULT true
      );
      CREATE INDEX daily_life_area_municipality ON daily_life_area (municipality_code);

      CREATE TABLE organization (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        category text NOT NULL,
        services text[] NOT NULL CHECK (cardinality(services) > 0),
        jurisdiction_code char(6) NOT NULL REFERENCES jurisdiction (code),
        prefecture_code char(6) NOT NULL REFERENCES jurisdiction (code),
        contact_phone text,
        contact_email text,
        contact_website text,
        contact_postal_code text,
        contact_address text,
        opening_hours jsonb NOT NULL DEFAULT '[]',
        service_area_codes text[] NOT NULL DEFAULT '{}',
        daily_life_area_ids text[] NOT NULL DEFAULT '{}',
        is_demo boolean NOT NULL DEFAULT true
      );
      CREATE INDEX organization_jurisdiction ON organization (jurisdiction_code, name, id);
      CREATE INDEX organization_prefecture ON organization (prefecture_code);
      CREATE INDEX organization_category ON organization (category);
      CREATE INDEX organization_services ON organization USING gin (services);
      CREATE INDEX organization_service_areas ON organization USING gin (service_area_codes);
      CREATE INDEX organization_daily_life_areas ON organization USING gin (daily_life_area_ids);

      CREATE TABLE forum (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        level text NOT NULL CHECK (level IN ('MUNICIPALITY','REGION','PREFECTURE')),
        jurisdiction_code char(6) REFERENCES jurisdiction (code),
        region_id text REFERENCES region (id),
        prefecture_code char(6) NOT NULL REFERENCES jurisdiction (code),
        established_on date,
        meetings_last_year int CHECK (meetings_last_year >= 0),
        is_demo boolean NOT NULL DEFAULT true,
        CHECK ((level = 'REGION') = (region_id IS NOT NULL)),
        CHECK ((level <> 'REGION') = (jurisdiction_code IS NOT NULL))
      );
      CREATE UNIQUE INDEX forum_jurisdiction ON forum (jurisdiction_code) WHERE jurisdiction_code IS NOT NULL;
      CREATE UNIQUE INDEX forum_region ON forum (region_id) WHERE region_id IS NOT NULL;
      CREATE INDEX forum_prefecture ON forum (prefecture_code);

      CREATE TABLE forum_member (
        forum_id uuid NOT NULL REFERENCES forum (id) ON DELETE CASCADE,
        position int NOT NULL,
        role text NOT NULL,
        description text NOT NULL,
        organization_id uuid REFERENCES organization (id),
        PRIMARY KEY (forum_id, position)
      );
    `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE forum_member, forum, organization, daily_life_area, jurisdiction, region');
  }
}
