import { DataSource, type EntitySchema, type Logger as TypeOrmLogger, type MixedList } from 'typeorm';
import type { Logger } from '../logger';
import { installStatementCounter } from './sql-counter';

export interface DataSourceOptions {
  readonly url: string;
  // TypeORM's own type for entity lists (classes or schemas).
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
  /** Pool size; a subgraph serves many requests at once, each a few statements. */
  readonly poolSize?: number;
  readonly applicationName: string;
  /** Where migrations report as they run (one line each); nothing else of TypeORM's is logged. */
  readonly logger?: Logger;
}

/** TypeORM's logger, saying only which migration runs and when it is done. */
function migrationLogger(logger: Logger): TypeOrmLogger {
  const none = () => undefined;
  return {
    logQuery: none,
    logQueryError: none,
    logQuerySlow: none,
    logSchemaBuild: none,
    logMigration: (message: string) => logger.info({ task: 'migrations' }, message),
    log: none,
  };
}

/** A TypeORM data source over `pg` for one subgraph's own database. Schema changes only by migrations. */
export function createDataSource(options: DataSourceOptions): DataSource {
  installStatementCounter();
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    ...(options.logger ? { logger: migrationLogger(options.logger) } : {}),
    applicationName: options.applicationName,
    poolSize: options.poolSize ?? 10,
    extra: { statement_timeout: 15000, idle_in_transaction_session_timeout: 30000 },
  });
}
