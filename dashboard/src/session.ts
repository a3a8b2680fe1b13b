// The session of the tab (sessionStorage): no import beyond the platform's, so that the first
// module the page runs (preload.ts) reads it before the application's code is loaded.

/** Who is signed in: the bearer token the gateway verifies, and what it says (for the screens only). */
export interface Session {
  readonly token: string;
  readonly role: string;
  readonly jurisdictions: readonly string[];
  readonly org: string | null;
  readonly name: string;
  readonly expiresAt: number;
}

const SESSION_KEY = 'nimo.dashboard.session';

export function storedSession(): Session | null {
  const text = sessionStorage.getItem(SESSION_KEY);
  if (!text) return null;
  const session = JSON.parse(text) as Session;
  if (session.expiresAt <= Date.now()) {
    sessionStorage.removeItem(SESSION_KEY);
    return null;
  }
  return session;
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}
