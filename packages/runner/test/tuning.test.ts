import path from 'node:path';
import { embeddedDataDir } from '../src/databases';
import fs from 'node:fs';
import { GATEWAY_NODE_TUNING, NODE_TUNING, readyTimeoutFromEnv, withTuning } from '../src/hub';

describe('the V8 tuning every hub process gets', () => {
  it('is added to NODE_OPTIONS, keeping what is there', () => {
    expect(withTuning(undefined)).toBe(NODE_TUNING);
    expect(withTuning('--enable-source-maps')).toBe(`--enable-source-maps ${NODE_TUNING}`);
  });

  it('leaves a semi-space size an operator chose', () => {
    expect(withTuning('--max-semi-space-size=32')).toBe('--max-semi-space-size=32');
    expect(withTuning('--max_semi_space_size=32')).toBe('--max_semi_space_size=32');
    expect(withTuning('--max-semi-space-size=32', 'gateway')).toBe('--max-semi-space-size=32 --max-old-space-size=256');
  });

  it("leaves the gateway's old generation to an operator who sizes it, and only then", () => {
    expect(withTuning('--max-old-space-size=512', 'gateway')).toBe('--max-old-space-size=512 --max-semi-space-size=16');
    expect(withTuning('--max_old_space_size=512 --max-semi-space-size=8', 'gateway')).toBe('--max_old_space_size=512 --max-semi-space-size=8');
    // Another flag whose name begins alike is not the same flag.
    expect(withTuning('--max-old-space-size-x', 'gateway')).toBe('--max-old-space-size-x --max-semi-space-size=16 --max-old-space-size=256');
  });

  it('gives the gateway smaller semi-spaces than a subgraph, and a bounded old generation', () => {
    expect(withTuning(undefined, 'gateway')).toBe('--max-semi-space-size=16 --max-old-space-size=256');
    expect(withTuning('--enable-source-maps', 'gateway')).toBe(`--enable-source-maps ${GATEWAY_NODE_TUNING}`);
    expect(withTuning(undefined, 'subgraph')).toBe(NODE_TUNING);
  });

  it('is what the images set, per stage', () => {
    const dockerfile = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docker', 'Dockerfile'), 'utf8');
    const runtime = dockerfile.slice(dockerfile.indexOf('AS runtime'), dockerfile.indexOf('AS subgraph'));
    const gateway = dockerfile.slice(dockerfile.indexOf('AS gateway'));
    expect(runtime).toContain(`NODE_OPTIONS=${NODE_TUNING}`);
    expect(gateway).toContain(`NODE_OPTIONS="${GATEWAY_NODE_TUNING}"`);
  });
});

describe('how long a first start may take', () => {
  const saved = { cases: process.env.CONSULTATION_DEMO_CASES, timeout: process.env.READY_TIMEOUT_MS };
  afterEach(() => {
    for (const [name, value] of [
      ['CONSULTATION_DEMO_CASES', saved.cases],
      ['READY_TIMEOUT_MS', saved.timeout],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('is 120 s, longer when a million demo cases are to be seeded, and what READY_TIMEOUT_MS says', () => {
    delete process.env.CONSULTATION_DEMO_CASES;
    delete process.env.READY_TIMEOUT_MS;
    expect(readyTimeoutFromEnv()).toBe(120_000);
    process.env.CONSULTATION_DEMO_CASES = '50000';
    expect(readyTimeoutFromEnv()).toBe(120_000);
    process.env.CONSULTATION_DEMO_CASES = '1000000';
    expect(readyTimeoutFromEnv()).toBe(1_000_000);
    process.env.READY_TIMEOUT_MS = '300000';
    expect(readyTimeoutFromEnv()).toBe(300_000);
    process.env.READY_TIMEOUT_MS = 'soon';
    expect(() => readyTimeoutFromEnv()).toThrow(/READY_TIMEOUT_MS/);
  });
});

describe('the data folder', () => {
  const saved = process.env.NIMO_DATA_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NIMO_DATA_DIR;
    else process.env.NIMO_DATA_DIR = saved;
  });

  it('holds the embedded server beside the development keys: NIMO_DATA_DIR moves both', () => {
    delete process.env.NIMO_DATA_DIR;
    expect(embeddedDataDir()).toBe(path.resolve(__dirname, '..', '..', '..', '.data', 'postgres'));
    process.env.NIMO_DATA_DIR = '/srv/nimo';
    expect(embeddedDataDir()).toBe('/srv/nimo/postgres');
  });
});
