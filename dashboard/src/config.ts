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
 * What the dashboard is told at start: written into index.html by the gateway (no round trip before
 * the first figures), else `api/config` (any other web server serves the same JSON as a file).
 */
export interface DashboardConfig {
  readonly graphqlUrl: string;
  readonly signIn: { readonly kind: 'development'; readonly identities: readonly DevIdentity[] } | ({ readonly kind: 'oidc' } & OidcConfig);
}

/** The element the gateway writes the configuration into (gateway/src/dashboard.ts INLINE_CONFIG_ID). */
const INLINE_CONFIG_ID = 'nimo-dashboard-config';

let inlined: DashboardConfig | null | undefined;

/** The configuration inlined in the page, if the server wrote one (read once: the same object every call). */
export function inlineConfig(): DashboardConfig | null {
  if (inlined === undefined) {
    const text = document.getElementById(INLINE_CONFIG_ID)?.textContent;
    inlined = text ? (JSON.parse(text) as DashboardConfig) : null;
  }
  return inlined;
}

export async function loadConfig(): Promise<DashboardConfig> {
  const inline = inlineConfig();
  if (inline) return inline;
  const response = await fetch(new URL('api/config', document.baseURI), { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`設定を読み込めませんでした（HTTP ${response.status}）。`);
  return (await response.json()) as DashboardConfig;
}
