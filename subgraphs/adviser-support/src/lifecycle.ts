import { badUserInput } from '@nimo/kit';
import { SupportRequestStatus as S } from './enums';

/**
 * The lifecycle of a support request. ACCEPTED is reached only by assigning an adviser
 * (`assignSupportRequest`); every other move goes through `transitionSupportRequest`.
 */
export const TRANSITIONS: Readonly<Record<S, readonly S[]>> = {
  [S.REQUESTED]: [S.ACCEPTED, S.REJECTED, S.CANCELLED],
  [S.ACCEPTED]: [S.IN_PROGRESS, S.CANCELLED],
  [S.IN_PROGRESS]: [S.ON_HOLD, S.COMPLETED, S.CANCELLED],
  [S.ON_HOLD]: [S.IN_PROGRESS, S.CANCELLED],
  [S.COMPLETED]: [],
  [S.REJECTED]: [],
  [S.CANCELLED]: [],
};

export const isFinal = (status: S): boolean => TRANSITIONS[status].length === 0;

/** BAD_USER_INPUT unless `from → to` is an allowed move. */
export function requireTransition(from: S, to: S): void {
  if (TRANSITIONS[from].includes(to)) return;
  const allowed = TRANSITIONS[from];
  throw badUserInput(
    `A support request cannot move from ${from} to ${to}; from ${from} it may move to ${allowed.length ? allowed.join(', ') : 'nothing (it is final)'}.`,
    { field: 'to', from, to },
  );
}
