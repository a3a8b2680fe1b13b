import fs from 'node:fs';
import {
  isCompositeType,
  isEnumType,
  isListType,
  isNonNullType,
  operationFromDocument,
  Supergraph,
  type CompositeType,
  type Operation,
  type SelectionSet,
  type Type,
} from '@apollo/federation-internals';
import { parse } from 'graphql';
import { prng } from '@nimo/kit';
import { dashboardOperations, SUPERGRAPH_FILE } from '@nimo/schema';
import * as apolloShaping from '@apollo/gateway/dist/resultShaping';
import { APOLLO_GATEWAY_VERSION, apolloComputeResponse, computeResponse, installResultShaping, type ShapingArgs } from '../src/result-shaping';

/**
 * Our result shaping must answer exactly what Apollo Gateway's does (data, key order, errors and
 * their paths) on whatever the subgraphs send: every published operation and one that uses what
 * they do not (aliases, @skip/@include on variables, fragments, __typename under an alias), over
 * data generated from the operation with nulls where the schema forbids them, wrong or unknown
 * __typenames, invalid leaves (a string for an Int, 1.5 for an Int, an unknown enum value) and
 * fields nobody asked for (keys and @requires fields the gateway fetched).
 */
const api = Supergraph.build(fs.readFileSync(SUPERGRAPH_FILE, 'utf8')).apiSchema();

/** How often the generated data is wrong (nulls where forbidden, bad leaves, bad __typenames); every fourth seed: never. */
let noise = 1;

/** Data for a selection set as the gateway may have merged it from the subgraphs, right or wrong. */
function generate(selectionSet: SelectionSet, type: CompositeType, rnd: () => number, out: Record<string, unknown> = {}): Record<string, unknown> {
  const roll = rnd();
  if (roll < 0.02 * noise) out.__typename = 'NoSuchType';
  else if (roll < 0.03 * noise) out.__typename = 'String';
  else if (roll < 0.5) out.__typename = type.name; // the API has no interfaces or unions
  if (rnd() < 0.1) out.notAsked = { id: 'x' };
  for (const selection of selectionSet.selections()) {
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      const name = field.responseName();
      if (field.name === '__typename') {
        if (rnd() < 0.3) out[name] = rnd() < 0.1 * noise ? 'NoSuchType' : type.name;
        continue;
      }
      if (Object.hasOwn(out, name) && rnd() < 0.5) continue; // fetched by an earlier fetch already
      // As JSON.parse does: `__proto__` is an own property like any other.
      Object.defineProperty(out, name, {
        value: value(field.definition.type as Type, selection.selectionSet, rnd),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else if (selection.selectionSet) {
      generate(selection.selectionSet, selection.element.typeCondition ?? type, rnd, out);
    }
  }
  return out;
}

function value(type: Type, selectionSet: SelectionSet | undefined, rnd: () => number): unknown {
  if (rnd() < 0.03 * noise) return null; // even where the schema says non-null
  if (isNonNullType(type)) return value(type.ofType, selectionSet, rnd);
  if (isListType(type)) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(type.ofType, selectionSet, rnd));
  if (isCompositeType(type)) return generate(selectionSet!, type, rnd);
  const wrong = rnd() < 0.02 * noise;
  if (isEnumType(type)) return wrong ? 'NOT_A_VALUE' : (type.values[Math.floor(rnd() * type.values.length)]?.name ?? null);
  switch (type.name) {
    case 'Int':
      return wrong ? (rnd() < 0.5 ? 1.5 : '12') : Math.floor(rnd() * 1000);
    case 'Float':
      return wrong ? 'x' : rnd() * 100;
    case 'Boolean':
      return wrong ? 1 : rnd() < 0.5;
    case 'ID':
      return wrong ? true : String(Math.floor(rnd() * 1e6));
    case 'String':
      return wrong ? 7.5 : `s${Math.floor(rnd() * 100)}`;
    default:
      return wrong ? { custom: true } : '2024-04-01'; // custom scalars: anything is valid
  }
}

const shaped = (shape: typeof computeResponse, args: ShapingArgs) => {
  const { data, errors } = shape(args);
  return JSON.stringify({ data, errors: errors.map((e) => ({ message: e.message, path: e.path, extensions: e.extensions })) });
};

const EXERCISE = `query Exercise($flag: Boolean!, $year: Int!, $off: Boolean = true) {
  t: __typename
  a: nationalEvaluation(fiscalYear: $year) {
    kind: __typename
    indicators @include(if: $flag) { code value }
    indicators @skip(if: $flag) { code status }
    prefectures @skip(if: $off) { code }
    ... on NationalEvaluation { fiscalYear indicators { target } }
    ...More
  }
  b: nationalEvaluation(fiscalYear: 2023) @include(if: $flag) { fiscalYear }
  c: nationalEvaluation(fiscalYear: 2022) { __proto__: fiscalYear constructor: fiscalYear toString: __typename }
}
fragment More on NationalEvaluation { prefectures { code c2: code name } }`;

const cases: { name: string; operation: Operation; variables: Record<string, unknown>[] }[] = [
  ...dashboardOperations().map(({ name, document }) => ({
    name,
    operation: operationFromDocument(api, parse(document), { operationName: name }),
    variables: [{ fiscalYear: 2024, fromFiscalYear: 2020, toFiscalYear: 2024, code: '310000', prefectureCode: '310000', municipalityCode: '131016' }],
  })),
  {
    name: 'Exercise',
    operation: operationFromDocument(api, parse(EXERCISE), { operationName: 'Exercise' }),
    variables: [
      { flag: true, year: 2024 },
      { flag: false, year: 2024, off: false },
    ],
  },
];

describe('result shaping', () => {
  it.each(cases)('answers $name exactly as Apollo Gateway does, on 400 generated inputs', ({ operation, variables }) => {
    let withErrors = 0;
    let nullData = 0;
    for (let seed = 1; seed <= 400; seed++) {
      const root = api.schemaDefinition.rootType(operation.rootKind)!;
      noise = seed % 4 === 0 ? 0 : 1;
      const input = generate(operation.selectionSet, root, prng(seed));
      for (const vars of variables) {
        const args = { operation, variables: vars, input: structuredClone(input), introspectionHandling: () => ({ introspected: true }) };
        const ours = shaped(computeResponse, args);
        const apollo = shaped(apolloComputeResponse, { ...args, input: structuredClone(input) });
        if (ours !== apollo) throw new Error(`seed ${seed}, variables ${JSON.stringify(vars)}:\nours   ${ours}\napollo ${apollo}`);
        if (ours.includes('"errors":[{')) withErrors++;
        if (ours.startsWith('{"data":null')) nullData++;
      }
    }
    // The generated data must reach the error paths, and leave answers without errors too.
    expect(withErrors).toBeGreaterThan(10);
    expect(withErrors).toBeLessThan(400 * variables.length);
    expect(nullData).toBeLessThan(400 * variables.length);
  });

  it('throws where Apollo asserts (a list where an object belongs)', () => {
    const { operation } = cases.find((c) => c.name === 'Exercise')!;
    const input = { a: { fiscalYear: 2024, indicators: { code: 'x' }, prefectures: [] } };
    const args = { operation, variables: { flag: true, year: 2024 }, input, introspectionHandling: () => null };
    expect(() => apolloComputeResponse(args)).toThrow();
    expect(() => computeResponse(args)).toThrow();
  });

  it('replaces Apollo Gateway’s only for the version it reproduces, and not when told', () => {
    expect(installResultShaping('apollo')).toBe('RESULT_SHAPING=apollo');
    expect(() => installResultShaping('fast')).toThrow(/RESULT_SHAPING/);
    expect(APOLLO_GATEWAY_VERSION).toBe((JSON.parse(fs.readFileSync(require.resolve('@apollo/gateway/package.json'), 'utf8')) as { version: string }).version);
    expect(installResultShaping(undefined)).toBeNull();
    expect(apolloShaping.computeResponse).toBe(computeResponse);
    // A later gateway told to use Apollo's gets Apollo's, not the one installed before it.
    expect(installResultShaping('apollo')).toBe('RESULT_SHAPING=apollo');
    expect(apolloShaping.computeResponse).toBe(apolloComputeResponse);
    expect(installResultShaping('nimo')).toBeNull();
    expect(apolloShaping.computeResponse).toBe(computeResponse);
  });
});
