import fs from 'node:fs';
import os from 'node:os';

/** Peak and current resident memory of a process, MiB (VmHWM / VmRSS of /proc/<pid>/status); null when unreadable. */
export function memoryOf(pid: number): { peakMiB: number; rssMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMiB: kib('VmHWM') / 1024, rssMiB: kib('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/**
 * Resets a process's peak resident memory to its current value (Linux: `5` into clear_refs), so
 * VmHWM measures the benchmark and not, say, the first start's data load. False when not allowed.
 */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

function statFields(pid: number | string): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after "pid (comm) ": state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14].
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used, ms; null when unreadable. With `children`, also its
 * running children and the ones that exited (PostgreSQL's backends are children of the postmaster).
 */
export function cpuMsOf(pid: number, children = false): number | null {
  const own = statFields(pid);
  if (!own) return null;
  const ticks = (fields: string[], from: number, to: number) => fields.slice(from, to + 1).reduce((sum, f) => sum + Number(f), 0);
  let total = ticks(own, 11, children ? 14 : 12);
  if (children) {
    for (const entry of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const fields = statFields(entry);
      if (fields && Number(fields[1]) === pid) total += ticks(fields, 11, 12);
    }
  }
  return (total * 1000) / TICKS_PER_SECOND;
}

/** The postmaster's process id of a PostgreSQL data folder (first line of postmaster.pid); null if none runs. */
export function postmasterPid(dataDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && statFields(pid) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * The machine's load average (1, 5 and 15 minutes, from /proc/loadavg, as `uptime` prints it) and its
 * cores: recorded with every figure, since other work on a shared machine moves the figures.
 */
export function loadAverage(): string {
  try {
    const [one, five, fifteen] = fs.readFileSync('/proc/loadavg', 'utf8').split(' ');
    return `${one} ${five} ${fifteen} on ${os.availableParallelism()} cores`;
  } catch {
    return 'unknown';
  }
}

/** The 1-minute load average (NaN when unreadable). */
export function loadNow(): number {
  try {
    return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** The process ids of a process's running children (a gateway's cluster workers). */
export function childrenOf(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(statFields(entry)?.[1]) === pid)
    .map(Number);
}
