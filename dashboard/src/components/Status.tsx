import type React from 'react';
import { SUPPRESSED_EXPLANATION, REFUSED_EXPLANATION } from '../cells';

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      {what}を読み込み中です…
    </p>
  );
}

export function ErrorBox({ message, retry }: { readonly message: string; readonly retry?: () => void }) {
  return (
    <div className="error" role="alert">
      <p>{message}</p>
      {retry && (
        <button type="button" onClick={retry}>
          再読み込み
        </button>
      )}
    </div>
  );
}

/** The legend every view with figures carries: what 「秘匿」 and 「権限なし」 mean. */
export function FigureNotes() {
  return (
    <aside className="notes" aria-label="表示についての注記">
      <p>{SUPPRESSED_EXPLANATION}</p>
      <p>{REFUSED_EXPLANATION}</p>
    </aside>
  );
}

/** A view's heading: it takes the focus when the view opens (App), loading and errors included. */
export function ViewHeading({ title, sub }: { readonly title: string; readonly sub?: string }) {
  return (
    <h2 id="view-title" tabIndex={-1}>
      {title} {sub && <span className="fy">{sub}</span>}
    </h2>
  );
}

/** Loading or an error in place of a view, under its heading. */
export function ViewState({ title, sub, children }: { readonly title: string; readonly sub?: string; readonly children: React.ReactNode }) {
  return (
    <section aria-labelledby="view-title">
      <ViewHeading title={title} {...(sub ? { sub } : {})} />
      {children}
    </section>
  );
}
