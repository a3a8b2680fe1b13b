import 'reflect-metadata';

export * from './config';
export * from './logger';
export * from './hub';
export * from './database/url';
export * from './database/admin';
export * from './database/embedded';
export * from './database/datasource';
export * from './database/sql-counter';
export * from './graphql/errors';
export * from './graphql/local-gov-code';
export * from './graphql/pagination';
export * from './graphql/loaders';
export * from './graphql/federation';
export * from './http/server';
export * from './subgraph';
export * from './graphql/validate';
export * from './process';
