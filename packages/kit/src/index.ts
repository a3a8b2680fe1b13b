// @nimo/kit: the runtime every hub process needs. Development-only tools (embedded PostgreSQL,
// development keys and secrets) are in `@nimo/kit/dev`; test helpers in `@nimo/kit/testing`.
import 'reflect-metadata';

// Process: environment, logging, the list of hub processes, start and stop.
export * from './config';
export * from './logger';
export * from './hub';
export * from './process';

// A subgraph: its definition, start-up and HTTP server.
export * from './subgraph';
export * from './http/server';
export * from './http/body-cache';
export * from './http/flights';

// GraphQL: federation glue, errors, input and text validation, scalars, pagination, DataLoader helpers,
// the directory client (writes check the organisations they name).
export * from './graphql/federation';
export * from './graphql/errors';
export * from './graphql/validate';
export * from './graphql/text';
export * from './graphql/local-gov-code';
export * from './graphql/fiscal-year';
export * from './graphql/labels';
export * from './graphql/pagination';
export * from './graphql/loaders';
export * from './graphql/directory-client';
export * from './graphql/mutation-args';

// Database: URLs, administration, data sources, statement counting, figures generations, audit
// trail and its checkpoints, idempotency, the one mutation pipeline.
export * from './database/url';
export * from './database/admin';
export * from './database/unreachable';
export * from './database/datasource';
export * from './database/sql-counter';
export * from './database/generation';
export * from './database/audit';
export * from './database/audit-checkpoint';
export * from './database/idempotency';
export * from './database/mutation';

// Who may see what: principals, the gateway ↔ subgraph hop, policies.
export * from './auth/principal';
export * from './auth/hop';
export * from './auth/verified-tokens';
export * from './auth/policy';

// Published figures: small-cell suppression and its proof against recovery; background jobs.
export * from './statistics';

// Reference data: Japan's prefectures and municipalities.
export * from './jurisdictions';

// Demo data (loaded with SEED=1): deterministic generators and the idempotent bulk insert.
export * from './demo';
export * from './database/seed';
export * from './database/migrate';
export * from './telemetry/metrics';
export * from './telemetry/request';
export * from './telemetry/tracing';
export * from './telemetry/progress';
