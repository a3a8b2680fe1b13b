import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import {
  countStatements,
  createLogger,
  localFlights,
  markPersonal,
  startHttpServer,
  watchedPrincipal,
  type RunningServer,
  type StatementCounter,
} from '../src';

/**
 * The HTTP front's sharing of identical requests in flight (AnswerReuseOptions.shareInFlight), on a
 * real Apollo Server and real HTTP: resolvers wait on a gate the test opens, so that the requests
 * that arrive meanwhile are in flight together whatever the machine's speed.
 */
interface Context {
  readonly user: string;
}

let gate: Promise<void> = Promise.resolve();
let open: () => void = () => undefined;
function closeGate(): void {
  gate = new Promise((resolve) => (open = resolve));
}
/** How many times each resolver ran. */
const runs = { figure: 0, whoAmI: 0, bump: 0, staff: 0 };

const typeDefs = `
  type Query { figure(n: Int!): Int! label(n: Int!): String! whoAmI: String! staff: [String!] }
  type Mutation { bump: Int! }
`;
const resolvers = {
  Query: {
    figure: async (_: unknown, { n }: { n: number }) => {
      runs.figure += 1;
      await gate;
      if (n < 0) throw new GraphQLError('n must not be negative', { extensions: { code: 'BAD_USER_INPUT' } });
      return n * 2;
    },
    label: async (_: unknown, { n }: { n: number }) => {
      runs.figure += 1;
      await gate;
      return `鳥取県の相談件数 ${'にも包括'.repeat(n)}`;
    },
    // A field the rights do not reach (as a policy guard refuses it): the same refusal for everyone with those rights.
    staff: async () => {
      runs.staff += 1;
      await gate;
      throw new GraphQLError('You may not see the staff of this organisation.', { extensions: { code: 'FORBIDDEN' } });
    },
    // An answer that names who asked (as an audit record does): personal.
    whoAmI: async (_: unknown, __: unknown, ctx: Context) => {
      runs.whoAmI += 1;
      markPersonal(ctx);
      await gate;
      return ctx.user;
    },
  },
  Mutation: {
    bump: async () => {
      runs.bump += 1;
      await gate;
      return runs.bump;
    },
  },
};

let server: RunningServer;
beforeAll(async () => {
  const apollo = new ApolloServer<Context>({ typeDefs, resolvers, stopOnTerminationSignals: false });
  server = await startHttpServer<Context>({
    name: 'sharing-test',
    apollo,
    logger: createLogger('sharing-test'),
    port: 0,
    host: '127.0.0.1',
    ready: async () => ({}),
    metrics: { onMainPort: null, port: 0 },
    context: async (req) => ({ user: String(req.headers['x-user'] ?? '') }),
    answers: {
      flights: localFlights(),
      cacheBytes: 0,
      // As the gateway: reads only; `shared` by rights (here a header), `own` by who asks.
      keys: async (req, body) => {
        if (typeof body.query !== 'string' || body.query.trimStart().startsWith('mutation')) return null;
        const request = JSON.stringify(body);
        return { own: `${String(req.headers['x-user'])}\n${request}`, shared: `${String(req.headers['x-rights'])}\n${request}` };
      },
    },
  });
});
afterAll(async () => {
  open();
  await server.close();
});
beforeEach(() => {
  runs.figure = runs.whoAmI = runs.bump = runs.staff = 0;
});

async function post(query: string, user: string, rights = 'nation') {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-user': user, 'x-rights': rights },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown>; errors?: { extensions?: { code?: string } }[] } };
}

/** Sends the requests one after another (each reaches the server before the next), then opens the gate. */
async function together<T>(requests: (() => Promise<T>)[], until: () => boolean): Promise<T[]> {
  closeGate();
  const pending: Promise<T>[] = [];
  for (const request of requests) {
    pending.push(request());
    // Wait until the server has taken this request in (it is waiting at the gate, or waiting for the leader).
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(until()).toBe(true);
  open();
  return Promise.all(pending);
}

describe('identical requests in flight', () => {
  it('share one answer between principals with the same rights', async () => {
    const answers = await together(
      ['a', 'b', 'c'].map((user) => () => post('{ figure(n: 21) }', user)),
      () => runs.figure === 1,
    );
    expect(runs.figure).toBe(1);
    for (const answer of answers) expect(answer).toEqual({ status: 200, body: { data: { figure: 42 } } });
  });

  it('send every waiting request the same bytes, Japanese text and its length included', async () => {
    const raw = (user: string) => async () => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-user': user, 'x-rights': 'nation' },
        body: JSON.stringify({ query: '{ label(n: 5000) }' }),
      });
      return { length: response.headers.get('content-length'), text: await response.text() };
    };
    const answers = await together(['a', 'b', 'c'].map(raw), () => runs.figure === 1);
    expect(runs.figure).toBe(1);
    const expected = `${JSON.stringify({ data: { label: `鳥取県の相談件数 ${'にも包括'.repeat(5000)}` } })}\n`;
    for (const answer of answers) expect(answer).toEqual({ length: String(Buffer.byteLength(expected)), text: expected });
  });

  it('are not shared between different rights or different requests', async () => {
    await together(
      [() => post('{ figure(n: 1) }', 'a', 'nation'), () => post('{ figure(n: 1) }', 'b', 'prefecture:310000'), () => post('{ figure(n: 2) }', 'c', 'nation')],
      () => runs.figure === 3,
    );
    expect(runs.figure).toBe(3);
  });

  it('run on their own when the answer depended on who asked, and then no longer wait', async () => {
    const answers = await together(
      ['a', 'b'].map((user) => () => post('{ whoAmI }', user)),
      () => runs.whoAmI === 1,
    );
    // b waited for a's answer, found it personal and ran itself.
    expect(answers.map((a) => a.body.data?.whoAmI)).toEqual(['a', 'b']);
    expect(runs.whoAmI).toBe(2);
    // Known personal now: both run at once.
    await together(
      ['c', 'd'].map((user) => () => post('{ whoAmI }', user)),
      () => runs.whoAmI === 4,
    );
  });

  it('run on their own when the answer has other errors (bad input here)', async () => {
    const answers = await together(
      ['a', 'b'].map((user) => () => post('{ figure(n: -1) }', user)),
      () => runs.figure === 1,
    );
    expect(runs.figure).toBe(2);
    for (const answer of answers) expect(answer.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('share an answer whose only errors are refusals that follow from the rights', async () => {
    const answers = await together(
      ['a', 'b', 'c'].map((user) => () => post('{ figure(n: 4) staff }', user)),
      () => runs.staff === 1,
    );
    expect(runs.staff).toBe(1);
    for (const answer of answers) {
      expect(answer.body.data).toEqual({ figure: 8, staff: null });
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
  });

  it('never share a mutation', async () => {
    const answers = await together(
      ['a', 'a'].map((user) => () => post('mutation { bump }', user)),
      () => runs.bump === 2,
    );
    expect(answers.map((a) => a.body.data?.bump).sort()).toEqual([2, 2]);
  });
});

describe("a subgraph's principal", () => {
  it('marks the request personal when something reads who it is, not when it reads what it may see', () => {
    const counter: StatementCounter = { count: 0 };
    countStatements(counter, () => {
      const principal = watchedPrincipal({ role: 'municipality', subject: 'staff-1', jurisdictionCodes: ['131016'], organizationId: null });
      expect([principal.role, principal.jurisdictionCodes, principal.organizationId]).toEqual(['municipality', ['131016'], null]);
      expect(counter.personal).toBeUndefined();
      expect(principal.subject).toBe('staff-1');
    });
    expect(counter.personal).toBe(true);
  });
});
