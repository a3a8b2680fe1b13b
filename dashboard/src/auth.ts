import * as oauth from 'oauth4webapi';
import type { DashboardConfig, DevIdentity, OidcConfig } from './config';
import type { Session } from './session';

const PENDING_KEY = 'nimo.dashboard.oidc';

/** The claims of a JWT, read without verifying it: the gateway verifies; the screens only choose views. */
function claimsOf(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = decodeURIComponent(
    Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join(''),
  );
  return JSON.parse(json) as Record<string, unknown>;
}

export function sessionFromToken(token: string, name?: string): Session {
  const claims = claimsOf(token);
  const jurisdictions = Array.isArray(claims.jurisdictions) ? claims.jurisdictions.filter((c): c is string => typeof c === 'string') : [];
  return {
    token,
    role: typeof claims.role === 'string' ? claims.role : 'public',
    jurisdictions,
    org: typeof claims.org === 'string' ? claims.org : null,
    name: name ?? (typeof claims.name === 'string' ? claims.name : typeof claims.sub === 'string' ? claims.sub : ''),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 3600_000,
  };
}

/** Development: the gateway signs a token for the chosen identity with its development key set. */
export async function devSignIn(identity: DevIdentity): Promise<Session> {
  const response = await fetch(new URL('api/dev-token', document.baseURI), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role: identity.role, jurisdictions: identity.jurisdictions, org: identity.org ?? null }),
  });
  const body = (await response.json()) as { token?: string; error?: string };
  if (!response.ok || !body.token) throw new Error(body.error ?? `サインインできませんでした（HTTP ${response.status}）。`);
  return sessionFromToken(body.token, identity.label);
}

const redirectUri = () => new URL('./', document.baseURI).href;

async function authorizationServer(config: OidcConfig): Promise<{ as: oauth.AuthorizationServer; options: { [oauth.allowInsecureRequests]?: boolean } }> {
  const issuer = new URL(config.issuer);
  // A provider on this machine (development, tests) may speak plain HTTP; anything else must be HTTPS.
  const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  const options = local ? { [oauth.allowInsecureRequests]: true } : {};
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, options));
  return { as, options };
}

/** Production: OpenID Connect authorisation code flow with PKCE (S256), a public client. */
export async function oidcSignIn(config: OidcConfig): Promise<void> {
  const { as } = await authorizationServer(config);
  if (!as.authorization_endpoint) throw new Error('認証基盤が認可エンドポイントを公開していません。');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, hash: location.hash }));
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  if (config.resource) url.searchParams.set('resource', config.resource);
  location.assign(url.href);
}

/** Back from the provider (`?code=&state=`): exchange the code for tokens; null when this is no callback. */
export async function completeOidcSignIn(config: DashboardConfig['signIn']): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  if (config.kind !== 'oidc' || (!params.has('code') && !params.has('error'))) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as { verifier: string; state: string; hash: string } | null;
  sessionStorage.removeItem(PENDING_KEY);
  const back = () => history.replaceState(null, '', `${location.pathname}${pending?.hash ?? ''}`);
  if (!pending) {
    back();
    throw new Error('サインインの手続きが見つかりません。もう一度サインインしてください。');
  }
  const { as, options } = await authorizationServer(config);
  const client: oauth.Client = { client_id: config.clientId };
  try {
    const callback = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), callback, redirectUri(), pending.verifier, {
      ...options,
      ...(config.resource ? { additionalParameters: { resource: config.resource } } : {}),
    });
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    const idClaims = oauth.getValidatedIdTokenClaims(result);
    const name = typeof idClaims?.name === 'string' ? idClaims.name : typeof idClaims?.sub === 'string' ? idClaims.sub : undefined;
    return sessionFromToken(result.access_token, name);
  } catch (error) {
    throw new Error(`サインインできませんでした: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    back();
  }
}
