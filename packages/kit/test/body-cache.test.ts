import { BodyCache } from '../src/http/body-cache';

const answer = (cacheControl: string | null, body = '{"data":{}}', status = 200) => ({
  status,
  headers: cacheControl === null ? [] : ([['cache-control', cacheControl]] as [string, string][]),
  body,
});

describe('body cache', () => {
  it('keeps an answer for its max-age only', () => {
    const cache = new BodyCache();
    expect(cache.offer('k', answer('max-age=30, private'), 1_000)).toBe(true);
    expect(cache.get('k', 30_999)?.body).toBe('{"data":{}}');
    expect(cache.get('k', 31_000)).toBeUndefined();
  });

  it('keeps nothing without a positive max-age, with no-store, or for another status', () => {
    const cache = new BodyCache();
    expect(cache.offer('a', answer(null))).toBe(false);
    expect(cache.offer('b', answer('max-age=0'))).toBe(false);
    expect(cache.offer('c', answer('no-store, max-age=30'))).toBe(false);
    expect(cache.offer('d', answer('max-age=30', '{}', 500))).toBe(false);
  });

  it('drops the least recently used answers beyond its size', () => {
    const cache = new BodyCache(400);
    const big = 'x'.repeat(90);
    cache.offer('one', answer('max-age=60', big));
    cache.offer('two', answer('max-age=60', big));
    cache.get('one'); // one is now the most recently used
    cache.offer('three', answer('max-age=60', big));
    cache.offer('four', answer('max-age=60', big));
    cache.offer('five', answer('max-age=60', big));
    expect(cache.get('two')).toBeUndefined();
    expect(cache.get('five')).toBeDefined();
  });
});
