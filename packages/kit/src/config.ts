import path from 'node:path';

/** Reads the process environment once, with defaults that make `npm start` work on a fresh machine. */
export type NodeEnv = 'development' | 'test' | 'production';

export function nodeEnv(): NodeEnv {
  const value = process.env.NODE_ENV;
  if (value === 'production' || value === 'test') return value;
  return 'development';
}

export const isProduction = (): boolean => nodeEnv() === 'production';

/** An integer from the environment, or the default; a malformed value stops start-up with a clear message. */
export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`);
  }
  return value;
}

/** A boolean flag from the environment ("1", "true", "yes" are true). */
export function flagFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase());
}

/** Local state of a development hub (embedded database, development keys): `.data/` at the repository root. */
export function dataDir(): string {
  // This file is packages/kit/dist/config.js.
  return process.env.NIMO_DATA_DIR ?? path.resolve(__dirname, '..', '..', '..', '.data');
}
