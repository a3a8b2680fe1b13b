import { useState } from 'react';
import { devSignIn, oidcSignIn } from '../auth';
import type { Session } from '../session';
import type { DashboardConfig } from '../config';
import { roleLabel } from '../labels';
import { ErrorBox } from '../components/Status';

/**
 * Sign-in: with an identity provider configured, OpenID Connect (authorisation code + PKCE); in
 * development only (the gateway offers it only outside production), a picker of development identities.
 */
export function SignIn({
  config,
  onSignedIn,
  error,
}: {
  readonly config: DashboardConfig;
  readonly onSignedIn: (s: Session) => void;
  readonly error: string | null;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(error);
  const signIn = config.signIn;
  const run = (work: () => Promise<void>) => {
    setBusy(true);
    setFailure(null);
    work()
      .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return (
    <main id="main" className="signin">
      <h1>にも包括 ダッシュボード</h1>
      <p>精神障害にも対応した地域包括ケアシステムの構築状況を、国・都道府県・市町村・アドバイザー組織のそれぞれの立場で確認できます。</p>
      {failure && <ErrorBox message={failure} />}
      {signIn.kind === 'oidc' ? (
        <button type="button" className="primary" disabled={busy} onClick={() => run(() => oidcSignIn(signIn))}>
          サインイン
        </button>
      ) : (
        <section aria-labelledby="dev-title">
          <h2 id="dev-title">開発用の利用者を選んでサインイン</h2>
          <p className="warning">開発環境だけの機能です。本番環境では認証基盤（OpenID Connect）でサインインします。</p>
          <ul className="identities">
            {signIn.identities.map((identity) => (
              <li key={identity.label}>
                <button type="button" disabled={busy} onClick={() => run(async () => onSignedIn(await devSignIn(identity)))}>
                  {identity.label}
                  <small>
                    {roleLabel(identity.role)}
                    {identity.jurisdictions.length > 0 ? `・${identity.jurisdictions.join('・')}` : ''}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
