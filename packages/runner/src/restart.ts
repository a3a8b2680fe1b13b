/**
 * How long to wait before restarting a process that stopped unexpectedly: 0.5 s, doubling with each
 * failure in a row up to 30 s. A process that ran for a minute starts the count again.
 */
export function restartDelay(failuresInARow: number): number {
  return Math.min(30_000, 500 * 2 ** Math.max(0, failuresInARow - 1));
}

/** A process that stays up this long counts as having recovered (its failure count starts again). */
export const STABLE_MS = 60_000;
