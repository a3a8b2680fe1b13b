import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isEnumType, type GraphQLEnumType } from 'graphql';
import { gql, startTestHub, type TestHub } from './hub';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.stop());

// The published API: every enum a front end can meet.
const api = buildSchema(readFileSync(join(__dirname, '../../schema/published/api.graphql'), 'utf8'));
const enums = Object.values(api.getTypeMap())
  .filter((t) => isEnumType(t) && !t.name.startsWith('__'))
  .map((t) => t as GraphQLEnumType);
const fieldOf = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/;

describe('Japanese labels', () => {
  it('labels every value of every enum of the API in one public request, each subgraph serving its own', async () => {
    expect(enums.length).toBeGreaterThanOrEqual(28);
    const query = `{ labels { locale ${enums.map((e) => `${fieldOf(e.name)} { value label description }`).join(' ')} } }`;
    const answer = await gql<{ labels: Record<string, { value: string; label: string; description: string }[] | string> }>(hub.gateway.url, query);
    expect(answer.body.errors).toBeUndefined();
    const labels = answer.body.data!.labels;
    expect(labels.locale).toBe('ja');
    for (const e of enums) {
      const served = labels[fieldOf(e.name)] as { value: string; label: string; description: string }[];
      // Every value, in the enum's order, with a Japanese label; the schema's description says the same label.
      expect([e.name, served.map((v) => v.value)]).toEqual([e.name, e.getValues().map((v) => v.name)]);
      for (const v of served) {
        expect([e.name, v.value, JAPANESE.test(v.label)]).toEqual([e.name, v.value, true]);
        expect(e.getValue(v.value)?.description?.startsWith(`${v.label}: `)).toBe(true);
      }
    }
    const kinds = Object.fromEntries((labels.serviceKind as { value: string; label: string }[]).map((v) => [v.value, v.label]));
    expect(kinds.PUBLIC_HEALTH_CENTRE).toBe('保健所');
    expect(kinds.HELLO_WORK).toBe('ハローワーク');
  });

  it('names fiscal years in the era calendar and refuses a range the wrong way round', async () => {
    const answer = await gql<{ labels: { fiscalYear: { label: string }; fiscalYears: { fiscalYear: number; label: string }[] } }>(
      hub.gateway.url,
      '{ labels { fiscalYear(fiscalYear: 2024) { label } fiscalYears(from: 2018, to: 2020) { fiscalYear label } } }',
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data!.labels).toEqual({
      fiscalYear: { label: '令和6年度' },
      fiscalYears: [
        { fiscalYear: 2018, label: '平成30年度' },
        { fiscalYear: 2019, label: '令和元年度' },
        { fiscalYear: 2020, label: '令和2年度' },
      ],
    });
    const wrong = await gql(hub.gateway.url, '{ labels { fiscalYears(from: 2026, to: 2022) { label } } }');
    expect(wrong.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
