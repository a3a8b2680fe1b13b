import { useEffect, useMemo, useRef, useState } from 'react';
import { Provider } from 'urql';
import { completeOidcSignIn } from './auth';
import { storeSession, storedSession, type Session } from './session';
import { createClient } from './client';
import { inlineConfig, loadConfig, type DashboardConfig } from './config';
import { homeOf, mayOpen } from './access';
import { fiscalYearLabel, loadLabels, roleLabel } from './labels';
import { href, parseRoute, type Route } from './route';
import { DEFAULT_FISCAL_YEAR } from './preload';
import { ErrorBox, Loading } from './components/Status';
import { SignIn } from './views/SignIn';
import { NationalView } from './views/National';
import { PrefectureView } from './views/Prefecture';
import { MunicipalView } from './views/Municipal';
import { AdviserView } from './views/Adviser';

/** The view in the URL's fragment, followed as it changes. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

/** Fiscal years the selector offers: FY2022 (the demo data's first) to the current one. */
function fiscalYears(): number[] {
  const now = new Date();
  const current = now.getMonth() >= 3 ? now.getFullYear() : now.getFullYear() - 1;
  const out: number[] = [];
  for (let y = current; y >= 2022; y--) out.push(y);
  return out;
}

const TITLES: Record<Route['view'], string> = {
  home: 'ホーム',
  national: '全国',
  prefecture: '都道府県',
  municipality: '市町村',
  adviser: 'アドバイザー',
};

export function App() {
  // Inlined by the gateway: the client exists at the first render, so Labels and the view's own
  // document are both asked at once (docs/dashboard.md, time to first figures).
  const [config, setConfig] = useState<DashboardConfig | null>(inlineConfig);
  const [failure, setFailure] = useState<string | null>(null);
  const [session, setSession] = useState<Session | null>(() => storedSession());
  const [fiscalYear, setFiscalYear] = useState(DEFAULT_FISCAL_YEAR);
  const route = useRoute();
  const sessionRef = useRef(session);
  sessionRef.current = session;

  useEffect(() => {
    loadConfig()
      .then(async (c) => {
        setConfig(c);
        const signedIn = await completeOidcSignIn(c.signIn);
        if (signedIn) {
          storeSession(signedIn);
          setSession(signedIn);
        }
      })
      .catch((e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
  }, []);

  const client = useMemo(
    () => (config ? createClient(new URL(config.graphqlUrl, document.baseURI).href, () => sessionRef.current?.token ?? null) : null),
    [config],
  );

  // The Japanese words (enum labels, 令和 names) come from the hub, before any view or the sign-in
  // picker shows; a signed-in view is mounted (hidden) meanwhile, so that its request starts now.
  const [labelsReady, setLabelsReady] = useState(false);
  useEffect(() => {
    if (!client) return;
    loadLabels(client)
      .then(() => setLabelsReady(true))
      .catch(() => setFailure('表示に使う用語（日本語ラベル）をハブから取得できませんでした。ネットワークを確認して、もう一度お試しください。'));
  }, [client]);

  // A view's heading takes the focus when the view changes, so a screen reader and the keyboard start there.
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    document.title = `${TITLES[route.view]} | にも包括 ダッシュボード`;
    main.current?.querySelector('h2')?.focus();
  }, [route, labelsReady]);

  if (failure) return <ErrorBox message={failure} retry={() => location.reload()} />;
  if (!config || !client) return <Loading what="設定" />;
  if (!labelsReady && !session) return <Loading what="用語" />;
  if (!session)
    return (
      <SignIn
        config={config}
        onSignedIn={(s) => {
          storeSession(s);
          setSession(s);
          const home = homeOf(s);
          if (home && location.hash === '') location.hash = home;
        }}
        error={failure}
      />
    );

  const signOut = () => {
    storeSession(null);
    setSession(null);
    history.replaceState(null, '', location.pathname);
  };
  const nationwide = session.role === 'nation' || session.role === 'adviser';
  const home = homeOf(session);
  const nav: { label: string; href: string; view: Route['view'] }[] = [
    ...(nationwide ? [{ label: '全国', href: href.national(), view: 'national' as const }] : []),
    ...(!nationwide && home?.startsWith('#/prefecture') ? [{ label: '都道府県', href: home, view: 'prefecture' as const }] : []),
    ...(!nationwide && home?.startsWith('#/municipality') ? [{ label: '市町村', href: home, view: 'municipality' as const }] : []),
    ...(nationwide ? [{ label: 'アドバイザー', href: href.adviser(), view: 'adviser' as const }] : []),
  ];
  const effective: Route = route.view === 'home' && home ? parseRoute(home) : route;

  return (
    <Provider value={client}>
      {!labelsReady && <Loading what="用語" />}
      <a
        hidden={!labelsReady}
        className="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          main.current?.querySelector('h2')?.focus();
        }}
      >
        本文へ移動
      </a>
      <header className="top" hidden={!labelsReady}>
        <h1>にも包括 ダッシュボード</h1>
        <nav aria-label="画面">
          <ul>
            {nav.map((n) => (
              <li key={n.label}>
                <a href={n.href} aria-current={effective.view === n.view ? 'page' : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="controls">
          <label>
            年度{' '}
            <select value={fiscalYear} onChange={(e) => setFiscalYear(Number(e.target.value))}>
              {fiscalYears().map((y) => (
                <option key={y} value={y}>
                  {fiscalYearLabel(y)}（{y}年度）
                </option>
              ))}
            </select>
          </label>
          <span className="who">
            <span className="name">{session.name}</span>
            <span className="role" title="ご利用の権限と管轄（団体コード）">
              {roleLabel(session.role)}
              {session.jurisdictions.length > 0 ? ` ${session.jurisdictions.join('・')}` : ''}
            </span>
          </span>
          <button type="button" onClick={signOut}>
            サインアウト
          </button>
        </div>
      </header>
      <main id="main" ref={main} hidden={!labelsReady}>
        {!mayOpen(session, effective) ? (
          <section>
            <h2 tabIndex={-1}>{TITLES[effective.view]}</h2>
            <ErrorBox message="ご利用の権限ではこの画面を閲覧できません。上のメニューから閲覧できる画面を選んでください。" />
          </section>
        ) : effective.view === 'national' ? (
          <NationalView fiscalYear={fiscalYear} />
        ) : effective.view === 'prefecture' ? (
          <PrefectureView code={effective.code} fiscalYear={fiscalYear} />
        ) : effective.view === 'municipality' ? (
          <MunicipalView code={effective.code} fiscalYear={fiscalYear} />
        ) : effective.view === 'adviser' ? (
          <AdviserView id={effective.id} fiscalYear={fiscalYear} />
        ) : (
          <section>
            <h2 tabIndex={-1}>ホーム</h2>
            <p>ご利用の権限（{roleLabel(session.role)}）で閲覧できる画面はありません。</p>
          </section>
        )}
      </main>
    </Provider>
  );
}
