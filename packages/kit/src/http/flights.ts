import cluster, { type Worker } from 'node:cluster';
import type { RequestRecord } from '../telemetry/request';

/**
 * A complete answer shared with identical requests that arrived while it was computed, with what the
 * access log says of it. Its body is the bytes sent, encoded once by the leader: every waiting request
 * sends them as they are, and they cross to other workers as a buffer (half the size of the string a
 * mostly Japanese answer is in V8, and nothing to encode again there).
 */
export interface SharedAnswer {
  readonly status: number;
  readonly headers: readonly [string, string][];
  readonly bytes: Uint8Array;
  readonly record: RequestRecord;
}

/**
 * A request's place among identical requests in flight: it leads (computes the answer, then settles
 * it: the answer, or null when it may not be shared) or it waits for the leader's answer (null: run
 * on your own).
 */
export type Flight =
  { readonly leads: true; settle(answer: SharedAnswer | null): void } | { readonly leads: false; readonly answer: Promise<SharedAnswer | null> };

/** Where identical requests in flight find each other: this process, or every worker of a cluster. */
export interface Flights {
  enter(key: string): Promise<Flight>;
}

/** A request's place under a key of this process: the first (it resolves the answer) or one that waits for it. */
type Joined =
  | { readonly first: true; readonly answer: Promise<SharedAnswer | null>; readonly resolve: (answer: SharedAnswer | null) => void }
  | { readonly first: false; readonly answer: Promise<SharedAnswer | null> };

/** Joins the requests in flight under `key` in `running`; the first one's entry goes once it is resolved. */
function join(running: Map<string, Promise<SharedAnswer | null>>, key: string): Joined {
  const known = running.get(key);
  if (known) return { first: false, answer: known };
  let resolve!: (answer: SharedAnswer | null) => void;
  const answer = new Promise<SharedAnswer | null>((r) => (resolve = r));
  running.set(key, answer);
  void answer.then(() => {
    if (running.get(key) === answer) running.delete(key);
  });
  return { first: true, answer, resolve };
}

/** The flights of this process: the first request under a key leads, the others wait for it. */
export function localFlights(): Flights {
  const running = new Map<string, Promise<SharedAnswer | null>>();
  return {
    enter(key) {
      const joined = join(running, key);
      return Promise.resolve(joined.first ? { leads: true, settle: joined.resolve } : { leads: false, answer: joined.answer });
    },
  };
}

const FLIGHT = 'nimo-flight';

type FlightMessage =
  | { readonly type: typeof FLIGHT; readonly op: 'enter'; readonly id: number; readonly key: string }
  | { readonly type: typeof FLIGHT; readonly op: 'lead'; readonly id: number }
  | { readonly type: typeof FLIGHT; readonly op: 'wanted'; readonly key: string }
  | { readonly type: typeof FLIGHT; readonly op: 'answer'; readonly id: number; readonly answer: SharedAnswer | null }
  | { readonly type: typeof FLIGHT; readonly op: 'settle'; readonly key: string; readonly answer: SharedAnswer | null };

const isFlightMessage = (message: unknown): message is FlightMessage =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === FLIGHT;

/**
 * Sends to the primary; false when there is no channel to send on (the caller then goes on alone).
 * `process.send` returning false only says its backlog is long (an answer of 660 KB fills it): the
 * message is still sent, so that is not a failure.
 */
function toPrimary(message: FlightMessage): boolean {
  if (!process.send || !process.connected) return false;
  try {
    process.send(message);
    return true;
  } catch {
    return false;
  }
}

/**
 * The flights of a cluster worker: identical requests in flight in *any* worker wait for one answer.
 * Requests of this worker find each other here, without a message; the first of them asks the
 * primary ({@link shareFlightsInCluster}) whether another worker leads already. If one does, the
 * answer comes through the primary; if not, this request leads and hands its answer to the primary
 * for the other workers' waiting requests. Without a channel to the primary it behaves as
 * {@link localFlights}.
 */
export function clusterFlights(): Flights {
  const local = new Map<string, Promise<SharedAnswer | null>>();
  const replies = new Map<number, (message: FlightMessage) => void>();
  /** Keys this worker leads for which another worker's request waits: only their answers cross to the primary. */
  const wanted = new Set<string>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isFlightMessage(message) || message.op === 'enter' || message.op === 'settle') return;
    if (message.op === 'wanted') {
      if (local.has(message.key) && wanted.size < 10_000) wanted.add(message.key);
      return;
    }
    const reply = replies.get(message.id);
    replies.delete(message.id);
    reply?.(message);
  });
  return {
    enter(key) {
      const joined = join(local, key);
      if (!joined.first) return Promise.resolve({ leads: false, answer: joined.answer });
      const { answer: promise, resolve } = joined;
      let settled = false;
      const lead: Flight = {
        leads: true,
        settle(answer) {
          if (settled) return;
          settled = true;
          resolve(answer);
          // After the answer is written (the caller ends its response first in the same tick); the
          // answer itself (hundreds of KB to serialise and parse) crosses only when a request of
          // another worker waits for it.
          setImmediate(() => {
            const handOn = wanted.delete(key);
            toPrimary({ type: FLIGHT, op: 'settle', key, answer: handOn ? answer : null });
          });
        },
      };
      return new Promise<Flight>((entered) => {
        const id = nextId++;
        replies.set(id, (message) => {
          if (message.op === 'lead') entered(lead);
          else if (message.op === 'answer') {
            resolve(message.answer);
            entered({ leads: false, answer: promise });
          }
        });
        if (!toPrimary({ type: FLIGHT, op: 'enter', id, key })) {
          replies.delete(id);
          entered({ leads: true, settle: resolve });
        }
      });
    },
  };
}

/** Longer than any answer may take (the subgraphs' deadline is SUBGRAPH_TIMEOUT_MS, 10 s by default). */
const FLIGHT_MAX_MS = 60_000;

/**
 * The primary's side of {@link clusterFlights}: which worker leads each key, and which requests of
 * other workers wait for it. A leader that dies leaves its waiting requests to run on their own.
 */
export function shareFlightsInCluster(maxFlightMs = FLIGHT_MAX_MS): void {
  const flights = new Map<string, { leader: Worker; since: number; waiting: { worker: Worker; id: number }[] }>();
  const send = (worker: Worker, message: FlightMessage) => {
    if (!worker.isConnected()) return;
    try {
      worker.send(message);
    } catch {
      // The worker is going; its requests go with it.
    }
  };
  const land = (key: string, answer: SharedAnswer | null) => {
    const flight = flights.get(key);
    if (!flight) return;
    flights.delete(key);
    for (const { worker, id } of flight.waiting) send(worker, { type: FLIGHT, op: 'answer', id, answer });
  };
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isFlightMessage(message)) return;
    if (message.op === 'enter') {
      const flight = flights.get(message.key);
      // A leader that has not settled in this long is not waited for any more (its waiting requests run on their own).
      if (flight && Date.now() - flight.since > maxFlightMs) land(message.key, null);
      const current = flights.get(message.key);
      if (current) {
        // The leader hands its answer on only when asked: tell it once.
        if (current.waiting.length === 0) send(current.leader, { type: FLIGHT, op: 'wanted', key: message.key });
        current.waiting.push({ worker, id: message.id });
      } else {
        flights.set(message.key, { leader: worker, since: Date.now(), waiting: [] });
        send(worker, { type: FLIGHT, op: 'lead', id: message.id });
      }
    } else if (message.op === 'settle' && flights.get(message.key)?.leader === worker) land(message.key, message.answer);
  });
  cluster.on('exit', (worker: Worker) => {
    for (const [key, flight] of flights) if (flight.leader === worker) land(key, null);
  });
}
