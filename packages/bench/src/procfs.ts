import fs from 'node:fs';

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
