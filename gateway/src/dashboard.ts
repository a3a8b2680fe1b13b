import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { demoUuid, isProduction, principalFromClaims, sendJson, type Logger, type Principal, type Route } from '@nimo/kit';

/**
 * The dashboard (`dashboard/`, built to static files) at `/dashboard/`, same origin as `/graphql`:
 * its files, `GET /dashboard/api/config` (how to sign in, where GraphQL is; also written into the
 * index.html served here, so that the page needs no round trip before its first request) and, in
 * development only, `POST /dashboard/api/dev-token` (a token for a development identity).
 */
export interface DashboardOptions {
  /** The built files (index.html and assets/); defaults to the installed `@nimo/dashboard` package's dist/. */
  readonly dir?: string;
  /** OpenID Connect for the dashboard's sign-in; defaults to DASHBOARD_OIDC_* (see docs/dashboard.md). */
  readonly oidc?: DashboardOidc | null;
  /**
   * Development sign-in: signs a token the gateway accepts for a chosen identity. Never used when
   * NODE_ENV=production, whatever is passed.
   */
  readonly devToken?: ((principal: Principal) => Promise<string>) | null;
}

export interface DashboardOidc {
  readonly issuer: string;
  readonly clientId: string;
  readonly scope: string;
  readonly resource?: string;
}

/** DASHBOARD_OIDC_ISSUER, DASHBOARD_OIDC_CLIENT_ID, DASHBOARD_OIDC_SCOPE (default "openid profile"), DASHBOARD_OIDC_RESOURCE (default AUTH_AUDIENCE). */
export function dashboardOidcFromEnv(): DashboardOidc | null {
  const { DASHBOARD_OIDC_ISSUER, DASHBOARD_OIDC_CLIENT_ID, DASHBOARD_OIDC_SCOPE, DASHBOARD_OIDC_RESOURCE, AUTH_AUDIENCE } = process.env;
  if (!DASHBOARD_OIDC_ISSUER) return null;
  if (!DASHBOARD_OIDC_CLIENT_ID) throw new Error('DASHBOARD_OIDC_CLIENT_ID must be set with DASHBOARD_OIDC_ISSUER');
  const resource = DASHBOARD_OIDC_RESOURCE ?? AUTH_AUDIENCE;
  return {
    issuer: DASHBOARD_OIDC_ISSUER,
    clientId: DASHBOARD_OIDC_CLIENT_ID,
    scope: DASHBOARD_OIDC_SCOPE ?? 'openid profile',
    ...(resource ? { resource } : {}),
  };
}

const CHIYODA = '131016';

/** The development identities offered by the picker: each tier, one of each kind of view. */
export const DEV_IDENTITIES = [
  { label: '厚生労働省', role: 'nation', jurisdictions: [] },
  { label: 'アドバイザー組織', role: 'adviser', jurisdictions: [] },
  { label: '鳥取県', role: 'prefecture', jurisdictions: ['310000'] },
  { label: '東京都', role: 'prefecture', jurisdictions: ['130001'] },
  {
    label: '千代田区 相談窓口',
    role: 'municipality',
    jurisdictions: [CHIYODA],
    org: demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口'),
  },
  { label: '港区', role: 'municipality', jurisdictions: ['131032'] },
  { label: 'サービス事業者', role: 'provider', jurisdictions: [], org: demoUuid('organization', CHIYODA, '千代田区障害福祉課 精神保健福祉相談窓口') },
] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function defaultDir(): string | null {
  try {
    return path.join(path.dirname(require.resolve('@nimo/dashboard/package.json')), 'dist');
  } catch {
    return null;
  }
}

function readJson(req: IncomingMessage, limit = 4096): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > limit) reject(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('not JSON'));
      }
    });
    req.on('error', reject);
  });
}

/** The id of the element (JSON, not a script: the policy allows none inline) that carries the configuration in index.html. */
export const INLINE_CONFIG_ID = 'nimo-dashboard-config';

/**
 * index.html with the configuration inlined before `</head>` (the dashboard reads it there instead
 * of asking `api/config`); unchanged when no sign-in is configured (the page then asks and shows why).
 */
export function withConfig(html: string, config: { readonly signIn: unknown }): string {
  if (!config.signIn) return html;
  // `<` escaped: the JSON cannot close the element it is in.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return html.replace('</head>', `<script type="application/json" id="${INLINE_CONFIG_ID}">${json}</script></head>`);
}

export function dashboardRoute(options: DashboardOptions, logger: Logger): Route | null {
  const dir = options.dir ?? defaultDir();
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    logger.info({ dir }, 'the dashboard is not built: /dashboard/ is not served');
    return null;
  }
  const root = path.resolve(dir);
  const oidc = options.oidc === undefined ? dashboardOidcFromEnv() : options.oidc;
  const devToken = isProduction() ? null : (options.devToken ?? null);
  const connect = ["'self'", ...(oidc ? [new URL(oidc.issuer).origin] : [])].join(' ');
  const security = {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src ${connect}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
  };
  const config = () => ({
    graphqlUrl: '/graphql',
    signIn: oidc ? { kind: 'oidc', ...oidc } : devToken ? { kind: 'development', identities: DEV_IDENTITIES } : null,
  });

  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/dashboard') {
      res.writeHead(308, { location: `/dashboard/${url.search}` });
      res.end();
      return true;
    }
    if (!url.pathname.startsWith('/dashboard/')) return false;
    if (url.pathname === '/dashboard/api/config') {
      const body = config();
      if (!body.signIn) {
        sendJson(
          res,
          503,
          { error: 'サインインの方法が設定されていません（DASHBOARD_OIDC_ISSUER と DASHBOARD_OIDC_CLIENT_ID）。' },
          { 'cache-control': 'no-store' },
        );
        return true;
      }
      sendJson(res, 200, body, { 'cache-control': 'no-store', ...security });
      return true;
    }
    if (url.pathname === '/dashboard/api/dev-token') {
      if (!devToken) {
        sendJson(res, 404, { error: 'not found' });
        return true;
      }
      // A JSON body only: a cross-site form cannot send one without a CORS preflight.
      if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) {
        sendJson(res, 405, { error: 'POST application/json で要求してください。' }, { allow: 'POST' });
        return true;
      }
      let principal: Principal;
      try {
        const body = (await readJson(req)) as { role?: unknown; jurisdictions?: unknown; org?: unknown };
        principal = principalFromClaims({ role: body.role, jurisdictions: body.jurisdictions ?? [], org: body.org ?? null, sub: `dev-${String(body.role)}` });
      } catch (error) {
        sendJson(res, 400, { error: `開発用の利用者が正しくありません: ${error instanceof Error ? error.message : String(error)}` });
        return true;
      }
      sendJson(res, 200, { token: await devToken(principal) }, { 'cache-control': 'no-store' });
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (url.pathname === '/dashboard/' || url.pathname === '/dashboard/index.html') {
      res.writeHead(200, { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache', ...security });
      res.end(req.method === 'HEAD' ? undefined : withConfig(fs.readFileSync(path.join(root, 'index.html'), 'utf8'), config()));
      return true;
    }
    const relative = decodeURIComponent(url.pathname.slice('/dashboard/'.length)) || 'index.html';
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      sendJson(res, 404, { error: 'not found' });
      return true;
    }
    const hashed = relative.startsWith('assets/');
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...security,
    });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
    return true;
  };
}
