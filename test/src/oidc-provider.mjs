// A real OpenID provider for the dashboard's sign-in test: the certified `oidc-provider` package,
// with its development login form (any user name logs in). Access tokens are JWTs (ES256) for the
// hub's resource, carrying the claims the gateway maps to a principal (role, jurisdictions, org).
// Usage: node oidc-provider.mjs <redirect uri> <resource>; prints {"issuer": …} when listening.
import http from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const [redirectUri, resource] = process.argv.slice(2);
if (!redirectUri || !resource) throw new Error('usage: oidc-provider.mjs <redirect uri> <resource>');

/** The test's users: the login name chooses the claims. */
const USERS = {
  tottori: { name: '鳥取県 担当者', role: 'prefecture', jurisdictions: ['310000'] },
  mhlw: { name: '厚生労働省 担当者', role: 'nation', jurisdictions: [] },
};

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-es', alg: 'ES256', use: 'sig' };

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  jwks: { keys: [jwk] },
  clients: [
    {
      client_id: 'nimo-dashboard',
      token_endpoint_auth_method: 'none',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    },
  ],
  claims: { openid: ['sub'], profile: ['name'] },
  async findAccount(_ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, name: user.name }) };
  },
  async extraTokenClaims(_ctx, token) {
    const user = USERS[token.accountId];
    return user ? { role: user.role, jurisdictions: user.jurisdictions } : {};
  },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
        return { scope: 'openid profile', audience: resource, accessTokenTTL: 600, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
      },
    },
  },
  ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 600, Grant: 600 },
});
provider.proxy = false;
server.on('request', provider.callback());
process.stdout.write(`${JSON.stringify({ issuer, jwksUri: `${issuer}/jwks` })}\n`);
