/** Views are addressed by the URL's fragment (#/national, #/prefecture/310000, …), so any static web server serves them. */
export type Route =
  | { readonly view: 'home' }
  | { readonly view: 'national' }
  | { readonly view: 'prefecture'; readonly code: string }
  | { readonly view: 'municipality'; readonly code: string }
  | { readonly view: 'adviser'; readonly id: string | null };

export function parseRoute(hash: string): Route {
  const [, view, arg] = hash.replace(/^#/, '').split('/');
  switch (view) {
    case 'national':
      return { view: 'national' };
    case 'prefecture':
      return arg ? { view: 'prefecture', code: arg } : { view: 'home' };
    case 'municipality':
      return arg ? { view: 'municipality', code: arg } : { view: 'home' };
    case 'adviser':
      return { view: 'adviser', id: arg || null };
    default:
      return { view: 'home' };
  }
}

export const href = {
  national: () => '#/national',
  prefecture: (code: string) => `#/prefecture/${code}`,
  municipality: (code: string) => `#/municipality/${code}`,
  adviser: (id?: string) => (id ? `#/adviser/${id}` : '#/adviser'),
};
