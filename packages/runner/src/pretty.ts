import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { isColorSupported, prettyFactory } from 'pino-pretty';

/**
 * Human-readable logs under `npm start`: every hub process writes pino JSON lines (as in
 * production); the runner shows them through pino-pretty when its output is a terminal or
 * LOG_FORMAT=pretty (LOG_FORMAT=json keeps the JSON lines).
 */
export function prettyLogs(): boolean {
  const format = process.env.LOG_FORMAT;
  if (format === 'json') return false;
  if (format === 'pretty') return true;
  return Boolean(process.stdout.isTTY);
}

const pretty = prettyFactory({
  colorize: isColorSupported,
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,service',
  messageFormat: '[{service}] {msg}',
  singleLine: true,
});

/** One log line made readable; a line that is not JSON passes as it is. */
export function prettyLine(line: string): string {
  if (!line.startsWith('{')) return `${line}\n`;
  try {
    return pretty(JSON.parse(line));
  } catch {
    return `${line}\n`;
  }
}

/** Shows a child process's output lines readable on `out`. */
export function showPretty(stream: Readable | null, out: NodeJS.WritableStream): void {
  if (!stream) return;
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(prettyLine(line)));
}

/** A destination for the runner's own logger. */
export const prettyDestination = { write: (line: string) => void process.stdout.write(prettyLine(line.trimEnd())) };
