/** A development identity the gateway offers to sign in as (never in production). */
export interface DevIdentity {
  readonly label: string;
  readonly role: string;
  readonly jurisdictions: readonly string[];
  readonly org?: string;
}

export interface OidcConfig {
  /** The identity provider's issuer URL (its discovery document is at /.well-known/openid-configuration). */
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  /** RFC 8707 resource indicator asked for, so that the access token is a JWT for the hub's audience. */
  readonly resource?: string;
}

/**
 * What the dashboard is told at start (`api/config`, served by the gateway beside the static files;
 * any other web server serves the same JSON as a file).
 */
export interface DashboardConfig {
  readonly graphqlUrl: string;
  readonly signIn: { readonly kind: 'development'; readonly identities: readonly DevIdentity[] } | ({ readonly kind: 'oidc' } & OidcConfig);
}

export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch(new URL('api/config', document.baseURI), { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`設定を読み込めませんでした（HTTP ${response.status}）。`);
  return (await response.json()) as DashboardConfig;
}
