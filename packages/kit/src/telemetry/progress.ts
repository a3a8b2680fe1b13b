import type { Logger } from '../logger';

/** Reports how far long work has got (loading demo data, re-encryption, ...). */
export interface Progress {
  /** `done` of the total so far; logs at most once per interval. */
  update(done: number): void;
  /** Logs the end, with the time it took. */
  finish(extra?: Record<string, unknown>): void;
}

/**
 * A progress reporter: a log line every `everyMs` (default 5 s) while work goes on, with the count
 * done, the share of the total, the rate and an estimate of the time left; and one at the end.
 */
export function progress(logger: Logger, task: string, total: number, everyMs = 5000): Progress {
  const started = Date.now();
  let last = started;
  return {
    update(done) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      const seconds = (now - started) / 1000;
      const rate = done / seconds;
      const left = rate > 0 ? Math.round((total - done) / rate) : null;
      logger.info(
        { task, done, total, percent: total > 0 ? Math.round((done / total) * 1000) / 10 : null, perSecond: Math.round(rate), secondsLeft: left },
        `${task}: ${done} of ${total}`,
      );
    },
    finish(extra = {}) {
      logger.info({ task, total, seconds: Math.round((Date.now() - started) / 100) / 10, ...extra }, `${task}: done`);
    },
  };
}
