import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A date's fiscal year (April to March), as SQL. */
export const FY = (column: string) => `(extract(year FROM ${column} - interval '3 months'))::smallint`;

/**
 * The cells of a set of case rows (`rows`), each with `sign` (+1 for new rows, −1 for old ones):
 * what consultation figures count per municipality and fiscal year (see figures.ts).
 */
const caseCells = (rows: string, sign: number) => `
  SELECT ${FY('opened_on')} AS fy, municipality_code AS m, 'opened' AS metric, '' AS cat, ${sign} AS n FROM ${rows}
  UNION ALL SELECT ${FY('opened_on')}, municipality_code, 'status', status, ${sign} FROM ${rows}
  UNION ALL SELECT ${FY('opened_on')}, municipality_code, 'need', need, ${sign} FROM ${rows}, unnest(needs) AS need
  UNION ALL SELECT ${FY('opened_on')}, municipality_code, 'firstContactDays', (first_contact_on - opened_on)::text, ${sign} FROM ${rows} WHERE first_contact_on IS NOT NULL`;
const contactCells = (rows: string, sign: number) => `
  SELECT ${FY('contacted_on')} AS fy, municipality_code AS m, 'channel' AS metric, channel AS cat, ${sign} AS n FROM ${rows}`;
const referralCells = (rows: string, sign: number) => `
  SELECT ${FY('requested_on')} AS fy, municipality_code AS m, 'referralsMade' AS metric, '' AS cat, ${sign} AS n FROM ${rows}
  UNION ALL SELECT ${FY('requested_on')}, municipality_code, 'responseDays', (responded_on - requested_on)::text, ${sign} FROM ${rows} WHERE responded_on IS NOT NULL
  UNION ALL SELECT ${FY('ended_on')}, municipality_code, 'referralsCompleted', '', ${sign} FROM ${rows} WHERE status = 'COMPLETED' AND ended_on IS NOT NULL`;

/** Adds the cells' deltas to figure_cell, in key order (writers lock the same rows in the same order). */
export const apply = (cells: string) => `
  INSERT INTO figure_cell AS f (fiscal_year, municipality_code, metric, cat, n)
    SELECT fy, m, metric, cat, sum(n) FROM (${cells}) AS d GROUP BY fy, m, metric, cat HAVING sum(n) <> 0 ORDER BY fy, m, metric, cat
  ON CONFLICT (fiscal_year, municipality_code, metric, cat) DO UPDATE SET n = f.n + EXCLUDED.n`;

const TABLES: readonly [table: string, cells: (rows: string, sign: number) => string][] = [
  ['consultation_case', caseCells],
  ['case_contact', contactCells],
  ['referral', referralCells],
];

/**
 * Consultation figures maintained in the writing transaction: `figure_cell` holds every count the
 * figures need per fiscal year, municipality, metric and category (day histograms as categories), and
 * statement triggers with transition tables add each statement's changes to it (one upsert per
 * statement, so a bulk load costs one aggregation, a single write a few rows). Computing a year's
 * figures then reads about 90,000 cells instead of scanning every case, contact and referral of the
 * year (issue 19: 1.2 s at a million cases, paid by the first dashboard after every write). A cell is
 * changed only by committed writes, so the figures read from it are those of a committed state.
 * TRUNCATE empties it too. Filled from the existing rows once, here.
 */
export class FigureCells1733000000000 implements MigrationInterface {
  name = 'FigureCells1733000000000';

  async up(db: QueryRunner): Promise<void> {
    // Filling it from a million cases takes longer than a request's statement timeout (15 s) on a
    // busy machine; the migration runs in its own transaction, so this lasts only until it commits.
    await db.query('SET LOCAL statement_timeout = 0');
    await db.query(`CREATE TABLE figure_cell (
      fiscal_year smallint NOT NULL,
      municipality_code char(6) NOT NULL,
      metric text NOT NULL,
      cat text NOT NULL,
      n bigint NOT NULL,
      PRIMARY KEY (fiscal_year, municipality_code, metric, cat)
    )`);
    for (const [table, cells] of TABLES) {
      await db.query(`
        CREATE FUNCTION ${table}_cells_insert() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN ${apply(cells('new_rows', 1))}; RETURN NULL; END $$;
        CREATE FUNCTION ${table}_cells_update() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN ${apply(`${cells('new_rows', 1)} UNION ALL ${cells('old_rows', -1)}`)}; RETURN NULL; END $$;
        CREATE FUNCTION ${table}_cells_delete() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN ${apply(cells('old_rows', -1))}; RETURN NULL; END $$;
        CREATE TRIGGER ${table}_cells_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION ${table}_cells_insert();
        CREATE TRIGGER ${table}_cells_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION ${table}_cells_update();
        CREATE TRIGGER ${table}_cells_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION ${table}_cells_delete();`);
    }
    await db.query(`CREATE FUNCTION figure_cells_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN DELETE FROM figure_cell; RETURN NULL; END $$;
      ${TABLES.map(([table]) => `CREATE TRIGGER ${table}_cells_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION figure_cells_truncate();`).join('\n')}`);
    await db.query(apply(TABLES.map(([table, cells]) => cells(table, 1)).join(' UNION ALL ')));
  }

  async down(db: QueryRunner): Promise<void> {
    for (const [table] of TABLES) {
      await db.query(`DROP TRIGGER ${table}_cells_insert ON ${table}; DROP TRIGGER ${table}_cells_update ON ${table};
        DROP TRIGGER ${table}_cells_delete ON ${table}; DROP TRIGGER ${table}_cells_truncate ON ${table};
        DROP FUNCTION ${table}_cells_insert(); DROP FUNCTION ${table}_cells_update(); DROP FUNCTION ${table}_cells_delete();`);
    }
    await db.query('DROP FUNCTION figure_cells_truncate(); DROP TABLE figure_cell;');
  }
}
