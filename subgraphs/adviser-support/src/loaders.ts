import {
  GenerationCache,
  groupLoader,
  intFromEnv,
  keyedLoader,
  rowLoader,
  scopeWhere,
  unzipKeys,
  type FiscalYear,
  type Principal,
  type YearKey,
} from '@nimo/kit';
import type { DataSource } from 'typeorm';
import { Adviser, AdviserAssignment } from './entities/adviser';
import { IndicatorValue } from './entities/evaluation';
import { PracticeCase } from './entities/practice-case';
import { ProgramParticipation } from './entities/program';
import { SupportRequest } from './entities/support-request';
import { policy } from './policy';

export const yearKey = (code: string, fiscalYear: number): YearKey => ({ code, fiscalYear: fiscalYear as FiscalYear });
const splitKeys = (keys: readonly YearKey[]) => {
  const { code: codes, fiscalYear: years } = unzipKeys(keys, ['code', 'fiscalYear']);
  return { codes, years };
};

/** A prefecture's area in a fiscal year: its reported indicator values and its construction promotion participations. */
export interface AreaRows {
  readonly values: readonly IndicatorValue[];
  readonly promotion: readonly ProgramParticipation[];
}

/** Per prefecture, fiscal year and scope: 47 prefectures over a trend's years for a few scopes. */
const areaRowsKept = new GenerationCache<AreaRows>(4096);

/**
 * The rows of each prefecture's area and fiscal year asked, within the principal's scope, reused
 * until indicator values or participations change (kit `GenerationCache`; the
 * AdviserSupportFiguresGeneration migration): one generation read, and when it moved, one statement
 * per table for the keys not kept. The scope's SQL and parameters are part of the key.
 */
function areaRowsOf(db: DataSource, keys: readonly YearKey[], valueScope: Scope, participationScope: Scope): Promise<AreaRows[]> {
  const scope = JSON.stringify([valueScope, participationScope]);
  return areaRowsKept.getMany(
    db,
    keys.map((key) => ({ ...key, scope })),
    intFromEnv('FIGURES_MAX_AGE_MS', 300_000),
    (missing) => {
      const { codes: prefixes, years } = splitKeys(missing);
      const computed = Promise.all([
        db
          .getRepository(IndicatorValue)
          .createQueryBuilder('v')
          .where('(left(v.jurisdiction_code, 2), v.fiscal_year) IN (SELECT * FROM unnest(:prefixes::text[], :years::int[]))', { prefixes, years })
          .andWhere(valueScope.sql, valueScope.params)
          .getMany(),
        db
          .getRepository(ProgramParticipation)
          .createQueryBuilder('p')
          .where("p.program = 'CONSTRUCTION_PROMOTION'")
          .andWhere('(left(p.jurisdiction_code, 2), p.fiscal_year) IN (SELECT * FROM unnest(:prefixes::text[], :years::int[]))', { prefixes, years })
          .andWhere(participationScope.sql, participationScope.params)
          .getMany(),
      ]).then(([values, promotion]) => {
        const byKey = new Map<string, { values: IndicatorValue[]; promotion: ProgramParticipation[] }>(
          missing.map((key) => [`${key.code}:${key.fiscalYear}`, { values: [], promotion: [] }]),
        );
        for (const v of values) byKey.get(`${v.jurisdictionCode.slice(0, 2)}:${v.fiscalYear}`)?.values.push(v);
        for (const p of promotion) byKey.get(`${p.jurisdictionCode.slice(0, 2)}:${p.fiscalYear}`)?.promotion.push(p);
        return byKey;
      });
      return missing.map((key) => computed.then((byKey): AreaRows => byKey.get(`${key.code}:${key.fiscalYear}`) ?? { values: [], promotion: [] }));
    },
  );
}

type Scope = ReturnType<typeof scopeWhere>;

/**
 * Loaders for one request: one SQL statement per loader per tick whatever the number of keys, each
 * restricted by the request principal's scope (policy.ts) in SQL.
 */
export function createLoaders(db: DataSource, principal: Principal) {
  const participationScope = scopeWhere(policy.participation.read(principal), { jurisdiction: 'p.jurisdiction_code' }, 'ps');
  const requestScope = scopeWhere(policy.supportRequests.read(principal), { jurisdiction: 'r.jurisdiction_code' }, 'rs');
  const evaluationScope = scopeWhere(policy.evaluation.read(principal), { jurisdiction: 'v.jurisdiction_code' }, 'es');
  const evaluationParticipationScope = scopeWhere(policy.evaluation.read(principal), { jurisdiction: 'p.jurisdiction_code' }, 'eps');
  const adviserScope = scopeWhere(policy.advisers.read(principal), {}, 'as');

  return {
    /** Participations of each jurisdiction and fiscal year. */
    participationsOf: groupLoader(
      (keys: readonly YearKey[]) => {
        const { codes, years } = splitKeys(keys);
        return db
          .getRepository(ProgramParticipation)
          .createQueryBuilder('p')
          .where('(p.jurisdiction_code, p.fiscal_year) IN (SELECT * FROM unnest(:codes::bpchar[], :years::int[]))', { codes, years })
          .andWhere(participationScope.sql, participationScope.params)
          .orderBy('p.program')
          .getMany();
      },
      (p) => yearKey(p.jurisdictionCode, p.fiscalYear),
    ),
    participation: rowLoader(
      (ids: readonly string[]) =>
        db
          .getRepository(ProgramParticipation)
          .createQueryBuilder('p')
          .where('p.id = ANY(:ids::uuid[])', { ids })
          .andWhere(participationScope.sql, participationScope.params)
          .getMany(),
      (p) => p.id,
    ),
    adviser: rowLoader(
      (ids: readonly string[]) =>
        db.getRepository(Adviser).createQueryBuilder('a').where('a.id = ANY(:ids::uuid[])', { ids }).andWhere(adviserScope.sql, adviserScope.params).getMany(),
      (a) => a.id,
    ),
    /** Advisers assigned to each jurisdiction and fiscal year. */
    advisersOf: groupLoader(
      async (keys: readonly YearKey[]) => {
        const { codes, years } = splitKeys(keys);
        const rows = await db
          .getRepository(Adviser)
          .createQueryBuilder('a')
          .innerJoin(AdviserAssignment, 's', 's.adviser_id = a.id')
          .addSelect(['s.jurisdiction_code', 's.fiscal_year'])
          .where('(s.jurisdiction_code, s.fiscal_year) IN (SELECT * FROM unnest(:codes::bpchar[], :years::int[]))', { codes, years })
          .andWhere(adviserScope.sql, adviserScope.params)
          .orderBy('a.kind', 'DESC')
          .addOrderBy('a.display_name')
          .getRawAndEntities();
        // TypeORM merges raw rows of the same adviser into one entity (a wide-area adviser has many
        // assignments), so entities and raw rows do not line up: pair them by the adviser's id.
        const byId = new Map(rows.entities.map((a) => [a.id, a]));
        return (rows.raw as { a_id: string; jurisdiction_code: string; fiscal_year: number }[]).flatMap((raw) => {
          const adviser = byId.get(raw.a_id);
          return adviser ? [{ key: yearKey(String(raw.jurisdiction_code), Number(raw.fiscal_year)), adviser }] : [];
        });
      },
      (r) => r.key,
    ),
    /** Assignments of each adviser (its id as the code) and fiscal year. */
    assignmentsOf: groupLoader(
      (keys: readonly YearKey[]) => {
        const { codes: ids, years } = splitKeys(keys);
        return db
          .getRepository(AdviserAssignment)
          .createQueryBuilder('s')
          .where('(s.adviser_id, s.fiscal_year) IN (SELECT * FROM unnest(:ids::uuid[], :years::int[]))', { ids, years })
          .orderBy('s.jurisdiction_code')
          .getMany();
      },
      (s) => yearKey(s.adviserId, s.fiscalYear),
    ),
    supportRequest: rowLoader(
      (ids: readonly string[]) =>
        db
          .getRepository(SupportRequest)
          .createQueryBuilder('r')
          .where('r.id = ANY(:ids::uuid[])', { ids })
          .andWhere(requestScope.sql, requestScope.params)
          .getMany(),
      (r) => r.id,
    ),
    /** Support requests of each jurisdiction, newest first. */
    supportRequestsOf: groupLoader(
      (codes: readonly string[]) =>
        db
          .getRepository(SupportRequest)
          .createQueryBuilder('r')
          .where('r.jurisdiction_code = ANY(:codes::bpchar[])', { codes })
          .andWhere(requestScope.sql, requestScope.params)
          .orderBy('r.seq', 'DESC')
          .getMany(),
      (r) => r.jurisdictionCode,
    ),
    /**
     * Reported indicator values and construction promotion participations of a prefecture's area for
     * a year, keyed by the prefecture's two digits and the fiscal year (the nation asks all 47): reused
     * across requests until either table changes (`areaRowsOf`), since one national overview asks them
     * in two fetches.
     */
    areaRows: keyedLoader((keys: readonly YearKey[]) => areaRowsOf(db, keys, evaluationScope, evaluationParticipationScope)),
    practiceCase: rowLoader(
      (ids: readonly string[]) => db.getRepository(PracticeCase).createQueryBuilder('c').where('c.id = ANY(:ids::uuid[])', { ids }).getMany(),
      (c) => c.id,
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
