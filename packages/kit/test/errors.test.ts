import { GraphQLError } from 'graphql';
import pino from 'pino';
import { badUserInput, maskErrors } from '../src/graphql/errors';

describe('error masking', () => {
  const logged: unknown[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });
  const format = maskErrors(logger);

  it('passes errors with a public code and strips internals from their extensions', () => {
    const error = badUserInput('`first` must be between 1 and 500, got 0.', { argument: 'first' });
    const out = format({ message: error.message, extensions: { ...error.extensions, stacktrace: ['x'], serviceName: 'directory' } }, error);
    expect(out).toEqual({ message: error.message, extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
  });

  it('masks internal errors and logs them with their detail', () => {
    const internal = new Error('connect ECONNREFUSED 10.0.0.5:5432 at http://directory:4001/graphql');
    const wrapped = new GraphQLError(internal.message, { originalError: internal, path: ['jurisdiction'] });
    const out = format({ message: wrapped.message, path: ['jurisdiction'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }, wrapped);
    expect(out).toEqual({ message: 'Internal server error', path: ['jurisdiction'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(JSON.stringify(out)).not.toMatch(/ECONNREFUSED|4001|10\.0\.0\.5/);
    expect(JSON.stringify(logged)).toMatch(/ECONNREFUSED/);
  });

  it('says a database that cannot be reached or is shutting down is unavailable, without its detail', () => {
    const shutdown = Object.assign(new Error('terminating connection due to administrator command at 10.0.0.5'), { code: '57P01' });
    const wrapped = new GraphQLError(shutdown.message, { originalError: shutdown, path: ['consultationCases'] });
    const out = maskErrors(logger, 'consultation')(
      { message: wrapped.message, path: ['consultationCases'], extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      wrapped,
    );
    expect(out).toEqual({
      message: 'The consultation database is unavailable at the moment; retry shortly.',
      path: ['consultationCases'],
      extensions: { code: 'DATABASE_UNAVAILABLE' },
    });
    // A wrong statement is not "unavailable".
    const wrong = Object.assign(new Error('relation "x" does not exist'), { code: '42P01' });
    expect(
      format({ message: wrong.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, new GraphQLError(wrong.message, { originalError: wrong })).extensions
        ?.code,
    ).toBe('INTERNAL_SERVER_ERROR');
  });

  it("reports a scalar's BAD_USER_INPUT wrapped in a validation error with that code", () => {
    const inner = badUserInput('Invalid LocalGovCode "1": must have 6 digits, got 1 characters.');
    const validation = new GraphQLError('Expected value of type "LocalGovCode!"', { originalError: inner, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    const out = format({ message: validation.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, validation);
    expect(out.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('error logs', () => {
  it('never log the bound values of a failed SQL statement', () => {
    const lines: string[] = [];
    const { createLogger } = jest.requireActual<typeof import('../src/logger')>('../src/logger');
    process.env.LOG_LEVEL = 'error';
    const logger = createLogger('t');
    delete process.env.LOG_LEVEL;
    const error = Object.assign(new Error('duplicate key'), { query: `INSERT INTO x VALUES ($1)${' '.repeat(600)}`, parameters: ['山田太郎'] });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      logger.error({ err: error }, 'failed');
      logger.flush?.();
    } finally {
      write.mockRestore();
    }
    const text = lines.join('');
    expect(text).toMatch(/duplicate key/);
    expect(text).not.toMatch(/山田太郎/);
  });
});
