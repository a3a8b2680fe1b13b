import { alive, post, startRunner, type RunnerProcess } from './runner-process';

/**
 * The runner as `npm start` runs it, under faults injected by killing and pausing the processes it
 * started (issue 14, points 1, 2, 3 and 7).
 */
jest.setTimeout(300_000);

// One query over two subgraphs, the directory and adviser-support (no demo data: a count of 0 and no
// practice case; the field is nullable, so a missing answer leaves the rest of the data in place).
const NO_CASE = '00000000-0000-4000-8000-000000000000';
const TWO_SUBGRAPHS = `{ jurisdictions(first: 1) { totalCount } practiceCase(id: "${NO_CASE}") { title } }`;

describe('npm start supervises its processes', () => {
  let hub: RunnerProcess;
  beforeAll(async () => {
    hub = await startRunner();
    await hub.waitFor((l) => /Nimo Hub is up/.test(l.msg ?? ''), 240_000);
  });
  afterAll(() => hub.dispose());

  it('keeps subgraphs and the gateway on the addresses asked for', async () => {
    const listening = hub.lines.filter((l) => l.msg?.endsWith(' listening'));
    expect(listening.filter((l) => l.service !== 'gateway').map((l) => l.host)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1', '127.0.0.1']);
    expect(listening.find((l) => l.service === 'gateway')?.host).toBe('127.0.0.1');
  });

  it('restarts a subgraph that dies, while the gateway answers without it and names what is missing', async () => {
    const before = hub.pidOf('adviser-support');
    process.kill(before, 'SIGKILL');
    const partial = await post(hub.gateway, TWO_SUBGRAPHS);
    expect(partial.status).toBe(200);
    expect(partial.body.data?.jurisdictions).toEqual({ totalCount: 0 });
    expect(partial.body.errors).toHaveLength(1);
    expect(partial.body.errors?.[0]?.message).toMatch(/adviser-support is unavailable/);
    expect(partial.body.errors?.[0]).toEqual({
      message: partial.body.errors?.[0]?.message,
      path: ['practiceCase'],
      extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'adviser-support' },
    });
    expect(JSON.stringify(partial.body)).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|http:/);

    await hub.waitFor((l) => l.process === 'adviser-support' && /stopped unexpectedly; restarting it in \d+ ms/.test(l.msg ?? ''));
    await hub.waitFor((l) => l.process === 'adviser-support' && /restarted and ready/.test(l.msg ?? ''));
    expect(hub.pidOf('adviser-support')).not.toBe(before);
    expect(hub.child.exitCode).toBeNull();
    // Back: the circuit lets a trial request through and closes.
    let answer = await post(hub.gateway, TWO_SUBGRAPHS);
    for (let i = 0; i < 40 && answer.body.errors; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      answer = await post(hub.gateway, TWO_SUBGRAPHS);
    }
    expect(answer.body).toEqual({ data: { jurisdictions: { totalCount: 0 }, practiceCase: null } });
  });

  it('answers a hung subgraph with SUBGRAPH_TIMEOUT, then at once while its circuit is open; /ready names it', async () => {
    const pid = hub.pidOf('training');
    process.kill(pid, 'SIGSTOP');
    try {
      const query = `{ jurisdictions(first: 1) { totalCount } course(id: "${NO_CASE}") { title } }`;
      const timings: number[] = [];
      let last = await post(hub.gateway, query);
      expect(last.body.errors?.[0]).toMatchObject({ path: ['course'], extensions: { code: 'SUBGRAPH_TIMEOUT', subgraph: 'training' } });
      timings.push(last.ms);
      for (let i = 0; i < 4; i += 1) {
        last = await post(hub.gateway, query);
        timings.push(last.ms);
      }
      // The first requests wait for the 4 s deadline; once the circuit is open the answer is immediate.
      expect(timings[0]).toBeGreaterThanOrEqual(3900);
      expect(timings.at(-1)).toBeLessThan(500);
      expect(last.body.data?.jurisdictions).toEqual({ totalCount: 0 });
      expect(last.body.errors?.[0]).toMatchObject({ path: ['course'], extensions: { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'training' } });
      const ready = await fetch(new URL('/ready', hub.gateway));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { training: 'not answering', directory: 'ok', database: 'ok' } });
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  });

  it('on SIGTERM lets requests in flight finish, stops the gateway before the subgraphs, and exits 0', async () => {
    // Requests held up by a paused subgraph are in flight when the stop is asked for.
    const pid = hub.pidOf('directory');
    const pids = ['directory', 'consultation', 'training', 'adviser-support', 'gateway'].map((name) => hub.pidOf(name));
    process.kill(pid, 'SIGSTOP');
    const inFlight = Array.from({ length: 20 }, () => post(hub.gateway, '{ jurisdictions(first: 1) { totalCount } }'));
    // Let every request reach the gateway (a connection whose request has not arrived is idle, and
    // closed), well within the 4 s subgraph deadline.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    hub.child.kill('SIGTERM');
    await hub.waitFor((l) => /letting requests in flight finish/.test(l.msg ?? ''));
    process.kill(pid, 'SIGCONT');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    for (const answer of answers) expect(answer.body).toEqual({ data: { jurisdictions: { totalCount: 0 } } });
    expect(await hub.exited).toBe(0);
    // Every process stopped by itself: none was killed at the deadline (Apollo's own SIGTERM handler
    // used to leave each gateway worker waiting until the primary killed it, 15 s later).
    expect(hub.lines.filter((l) => /did not stop|killing them|killed it/.test(l.msg ?? '')).map((l) => l.msg)).toEqual([]);
    expect(hub.lines.some((l) => l.service === 'gateway' && /every gateway worker has stopped/.test(l.msg ?? ''))).toBe(true);
    const order = hub.lines.filter((l) => l.service === 'hub' && /^stopping the (gateway|subgraphs)|has stopped/.test(l.msg ?? '')).map((l) => l.msg);
    expect(order).toEqual(['stopping the gateway (requests in flight finish first)', 'stopping the subgraphs', 'the hub has stopped']);
    for (const p of pids) expect(alive(p)).toBe(false);
  });
});

describe('when the runner itself is killed', () => {
  it('its processes stop too instead of living on as orphans', async () => {
    const hub = await startRunner();
    try {
      await hub.waitFor((l) => /Nimo Hub is up/.test(l.msg ?? ''), 240_000);
      const pids = ['directory', 'consultation', 'training', 'adviser-support', 'gateway'].map((name) => hub.pidOf(name));
      hub.child.kill('SIGKILL');
      const deadline = Date.now() + 20_000;
      while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(pids.filter(alive)).toEqual([]);
    } finally {
      await hub.dispose();
    }
  });
});
