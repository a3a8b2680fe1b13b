import { INLINE_CONFIG_ID, withConfig } from '../src/dashboard';

describe("the dashboard's index.html", () => {
  const html = '<!doctype html><html lang="ja"><head><title>t</title></head><body><div id="root"></div></body></html>';

  it('carries the configuration as JSON in the head, so that the page asks for it no more', () => {
    const config = { graphqlUrl: '/graphql', signIn: { kind: 'oidc', issuer: 'https://id.example.jp/', clientId: 'dashboard', scope: 'openid' } };
    const out = withConfig(html, config);
    const match = new RegExp(`<script type="application/json" id="${INLINE_CONFIG_ID}">(.*?)</script></head>`).exec(out);
    expect(match).not.toBeNull();
    expect(JSON.parse(match![1]!)).toEqual(config);
  });

  it('cannot be closed by what the configuration holds', () => {
    const config = {
      graphqlUrl: '/graphql',
      signIn: { kind: 'oidc', issuer: 'https://id.example.jp/', clientId: '</script><script>alert(1)</script>', scope: 'openid' },
    };
    const out = withConfig(html, config);
    expect(out.match(/<\/script>/g)).toHaveLength(1);
    const json = out.slice(out.indexOf('>', out.indexOf(INLINE_CONFIG_ID)) + 1, out.indexOf('</script>'));
    expect(JSON.parse(json)).toEqual(config);
  });

  it('is left as built when no sign-in is configured (the page then asks and shows why)', () => {
    expect(withConfig(html, { signIn: null })).toBe(html);
  });
});
