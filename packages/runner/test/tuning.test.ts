import { NODE_TUNING, withTuning } from '../src/hub';

describe('the V8 tuning every hub process gets', () => {
  it('is added to NODE_OPTIONS, keeping what is there', () => {
    expect(withTuning(undefined)).toBe(NODE_TUNING);
    expect(withTuning('--enable-source-maps')).toBe(`--enable-source-maps ${NODE_TUNING}`);
  });

  it('leaves a semi-space size an operator chose', () => {
    expect(withTuning('--max-semi-space-size=32')).toBe('--max-semi-space-size=32');
    expect(withTuning('--max_semi_space_size=32')).toBe('--max_semi_space_size=32');
  });
});
