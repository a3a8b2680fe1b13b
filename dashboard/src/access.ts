import type { Session } from './session';
import type { Route } from './route';

/** A prefecture's code is NN0000 plus its check digit. */
export const isPrefectureCode = (code: string) => /^\d{2}000\d$/.test(code);
const prefectureOf = (code: string) => code.slice(0, 2);

const NATIONWIDE = new Set(['nation', 'adviser']);
const AREA = new Set(['prefecture', 'health_centre', 'mhw_centre']);

/**
 * Which views a principal may open. The hub decides what each field shows (and refuses the rest);
 * this only keeps people from screens that would show them nothing.
 */
export function mayOpen(session: Session, route: Route): boolean {
  const { role, jurisdictions } = session;
  switch (route.view) {
    case 'home':
      return true;
    case 'national':
    case 'adviser':
      return NATIONWIDE.has(role);
    case 'prefecture':
      return NATIONWIDE.has(role) || (AREA.has(role) && jurisdictions.some((j) => prefectureOf(j) === prefectureOf(route.code)));
    case 'municipality':
      if (NATIONWIDE.has(role)) return true;
      if (AREA.has(role)) return jurisdictions.some((j) => (isPrefectureCode(j) ? prefectureOf(j) === prefectureOf(route.code) : j === route.code));
      return role === 'municipality' && jurisdictions.includes(route.code);
  }
}

/** Where a principal starts. */
export function homeOf(session: Session): string | null {
  if (NATIONWIDE.has(session.role)) return '#/national';
  const first = session.jurisdictions[0];
  if (!first) return null;
  if (AREA.has(session.role) && isPrefectureCode(first)) return `#/prefecture/${first}`;
  if (AREA.has(session.role) || session.role === 'municipality') return `#/municipality/${first}`;
  return null;
}
