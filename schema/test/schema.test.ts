import fs from 'node:fs';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { BASELINE_FILE, breakingChanges, deprecationsOutsidePolicy, fieldsOf, generate, staleFiles } from '../src';
import { dashboardOperations } from '../src/operations';

describe('checked-in schema', () => {
  let generated: Awaited<ReturnType<typeof generate>>;
  beforeAll(async () => {
    generated = await generate();
  });

  it('is what the subgraphs generate now (run `npm run compose` when this fails)', () => {
    expect(staleFiles(generated)).toEqual([]);
  });

  it('breaks no client of the published API (publish deliberately with `npm run schema:publish`)', () => {
    const published = fs.readFileSync(BASELINE_FILE, 'utf8');
    expect(breakingChanges(published, generated.api).map((c) => c.description)).toEqual([]);
  });

  it('would report a removed field, a changed type and a new required argument as breaking', () => {
    const before = 'type Query { a: String, b: Int, c(x: Int): String }';
    const after = 'type Query { b: String, c(x: Int, y: Int!): String }';
    const found = breakingChanges(before, after).map((c) => c.type);
    expect(found).toEqual(expect.arrayContaining(['FIELD_REMOVED', 'FIELD_CHANGED_KIND', 'REQUIRED_ARG_ADDED']));
  });

  it('deprecates only by the policy: the replacement and the removal date in the reason (docs/versioning.md)', () => {
    expect(deprecationsOutsidePolicy(generated.api)).toEqual([]);
    const sdl = `type Query {
      a: Int @deprecated(reason: "Use b. Removed after 2027-06-30.")
      b(x: Int @deprecated(reason: "no longer used")): Int
      c: E
    }
    enum E { ONE TWO @deprecated }
    input I { f: Int @deprecated(reason: "Use g.") g: Int }
    type T { h(i: I): Int }`;
    expect(deprecationsOutsidePolicy(sdl)).toEqual(['Query.b(x): "no longer used"', 'E.TWO: "No longer supported"', 'I.f: "Use g."']);
  });

  it('describes every type and field for vendors', () => {
    const sdl = generated.api;
    const schema = buildSchema(sdl);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
      // The root types are described by their fields.
      if (!type.description && !['Query', 'Mutation'].includes(type.name)) missing.push(type.name);
      for (const field of fieldsOf(type)) {
        if (!field.description) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args) {
          if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('dashboard operations', () => {
  it('are valid against the API, each one named query with only the fragments it uses', async () => {
    const schema = buildSchema((await generate()).api);
    const operations = dashboardOperations();
    expect(operations.map((o) => o.name)).toEqual([
      'AdviserList',
      'AdviserView',
      'Labels',
      'MunicipalTrends',
      'MunicipalView',
      'NationalOverview',
      'NationalTrends',
      'NationalView',
      'PrefectureTrends',
      'PrefectureView',
    ]);
    for (const op of operations) {
      const document = parse(op.document);
      expect([op.name, validate(schema, document).map((e) => e.message)]).toEqual([op.name, []]);
      const names = document.definitions.flatMap((d) => (d.kind === Kind.OPERATION_DEFINITION ? [d.name?.value] : []));
      expect(names).toEqual([op.name]);
    }
  });
});
