import 'reflect-metadata';
import { graphql } from 'graphql';
import { buildSchema, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { createDataSource } from '../src/database/datasource';
import {
  anyOf,
  area,
  everyone,
  forRoles,
  Guard,
  isNothing,
  nobody,
  NOTHING,
  ownJurisdictions,
  ownOrganization,
  scopeCovers,
  scopeWhere,
  union,
  type Scope,
} from '../src/auth/policy';
import type { Principal } from '../src/auth/principal';
import { createTestDatabase, dropTestDatabase } from '../src/testing';

const ORG_A = '00000000-0000-4000-8000-00000000000a';
const ORG_B = '00000000-0000-4000-8000-00000000000b';
const principal = (role: Principal['role'], jurisdictionCodes: string[] = [], organizationId: string | null = null): Principal => ({
  role,
  subject: 't',
  jurisdictionCodes,
  organizationId,
});

/** Rows of several owners; 131016 千代田区 and 131130 渋谷区 in Tokyo (13), 011002 札幌市 in Hokkaido (01). */
const ROWS = [
  { id: 1, jurisdictionCode: '131016', organizationId: null },
  { id: 2, jurisdictionCode: '131130', organizationId: ORG_A },
  { id: 3, jurisdictionCode: '011002', organizationId: ORG_B },
  { id: 4, jurisdictionCode: '011002', organizationId: null },
  { id: 5, jurisdictionCode: null, organizationId: ORG_A },
];

describe('policy rules', () => {
  it('gives a municipality its own jurisdictions, a prefecture its whole prefecture, an organisation its rows', () => {
    expect(ownJurisdictions(principal('municipality', ['131016']))).toMatchObject({ jurisdictions: ['131016'], prefectures: [] });
    expect(area(principal('prefecture', ['130001']))).toMatchObject({ jurisdictions: [], prefectures: ['13'] });
    expect(area(principal('health_centre', ['131016', '131130']))).toMatchObject({ jurisdictions: ['131016', '131130'], prefectures: [] });
    expect(ownOrganization(principal('provider', [], ORG_A)).organizations).toEqual([ORG_A]);
    expect(isNothing(ownOrganization(principal('nation')))).toBe(true);
  });

  it('denies by default and for roles a rule does not name', () => {
    expect(isNothing(nobody(principal('nation')))).toBe(true);
    const rule = forRoles(['municipality'], ownJurisdictions);
    expect(isNothing(rule(principal('prefecture', ['130001'])))).toBe(true);
    expect(isNothing(rule(principal('municipality', ['131016'])))).toBe(false);
    expect(everyone(principal('public')).all).toBe(true);
    expect(union(NOTHING, everyone(principal('public'))).all).toBe(true);
    expect(anyOf(ownJurisdictions, ownOrganization)(principal('health_centre', ['131016'], ORG_A))).toMatchObject({
      jurisdictions: ['131016'],
      organizations: [ORG_A],
    });
  });

  it('refuses to build SQL for a scope part that has no column to test', () => {
    expect(() => scopeWhere({ ...NOTHING, organizations: [ORG_A] }, { jurisdiction: 'j' })).toThrow(/organisation column/);
    expect(() => scopeWhere({ ...NOTHING, prefectures: ['13'] }, { organization: 'o' })).toThrow(/jurisdiction column/);
    expect(scopeWhere(NOTHING, { jurisdiction: 'j' }).sql).toBe('FALSE');
  });
});

describe('the same scope in SQL and in memory', () => {
  let url: string;
  let db: ReturnType<typeof createDataSource>;
  beforeAll(async () => {
    url = await createTestDatabase('policy');
    db = createDataSource({ url, entities: [], migrations: [], applicationName: 'policy-test' });
    await db.initialize();
    await db.query('CREATE TABLE row_ (id int PRIMARY KEY, jurisdiction_code text, organization_id uuid)');
    for (const r of ROWS) await db.query('INSERT INTO row_ VALUES ($1, $2, $3)', [r.id, r.jurisdictionCode, r.organizationId]);
  });
  afterAll(async () => {
    await db.destroy();
    await dropTestDatabase(url);
  });

  const scopes: [string, Scope][] = [
    ['municipality 131016', ownJurisdictions(principal('municipality', ['131016']))],
    ['prefecture Tokyo', area(principal('prefecture', ['130001']))],
    ['health centre of two wards + its org', anyOf(area, ownOrganization)(principal('health_centre', ['131016', '131130'], ORG_A))],
    ['provider B', ownOrganization(principal('provider', [], ORG_B))],
    ['Hokkaido + org A', union(area(principal('prefecture', ['010006'])), { ...NOTHING, organizations: [ORG_A] })],
    ['everything', everyone(principal('nation'))],
    ['nothing', nobody(principal('nation'))],
  ];

  it.each(scopes)('%s: SQL returns exactly the rows scopeCovers accepts', async (_name, scope) => {
    const where = scopeWhere(scope, { jurisdiction: 'r.jurisdiction_code', organization: 'r.organization_id' });
    const rows = await db
      .createQueryBuilder()
      .select('r.id', 'id')
      .from('row_', 'r')
      .where(where.sql, where.params)
      .orderBy('r.id')
      .getRawMany<{ id: number }>();
    expect(rows.map((r) => r.id)).toEqual(ROWS.filter((r) => scopeCovers(scope, r)).map((r) => r.id));
  });
});

@ObjectType()
class Note {
  @Field()
  owner!: string;

  @Field(() => String, { nullable: true })
  @Guard<Note>((p, note) => p.jurisdictionCodes.includes(note.owner), 'the text of a note of another municipality')
  text!: string;
}

@Resolver()
class NoteResolver {
  @Query(() => [Note])
  notes(): Note[] {
    return [Object.assign(new Note(), { owner: '131016', text: 'mine' }), Object.assign(new Note(), { owner: '131130', text: 'theirs' })];
  }
}

describe('field guard', () => {
  it('nulls a field the principal may not see, with FORBIDDEN on its path, and answers the rest', async () => {
    const schema = await buildSchema({ resolvers: [NoteResolver], validate: false });
    const result = await graphql({
      schema,
      source: '{ notes { owner text } }',
      contextValue: { principal: principal('municipality', ['131016']) },
    });
    expect(result.data).toEqual({
      notes: [
        { owner: '131016', text: 'mine' },
        { owner: '131130', text: null },
      ],
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.path).toEqual(['notes', 1, 'text']);
    expect(result.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
  });
});
