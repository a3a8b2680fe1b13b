import { Arg, Int } from 'type-graphql';
import { badUserInput } from './errors';

/**
 * The arguments every mutation of the hub names alike: `idempotencyKey` and `expectedVersion`.
 * `version` was the name of the expected version in the training and adviser-support mutations; it
 * keeps working as a deprecated alias ({@link expectedVersionOf} takes either).
 */
export const IDEMPOTENCY_KEY_DESCRIPTION =
  'A key of your choice (8–100 characters of letters, digits and . _ : -, e.g. a UUID): a retry with the same key and arguments returns the first answer and changes nothing twice.';

export const EXPECTED_VERSION_DESCRIPTION =
  'The `version` you last read; a stale version is refused with CONFLICT (its `extensions.currentVersion` says the version now).';

export const VERSION_DEPRECATION = 'Use `expectedVersion`. Removed after 2027-06-30.';

/** `idempotencyKey: String` (optional). */
export const IdempotencyKeyArg = () => Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION });

/** `expectedVersion: Int!`; `Int` (optional) where the deprecated `version` may stand in for it. */
export const ExpectedVersionArg = (options: { withDeprecatedAlias?: boolean } = {}) =>
  Arg('expectedVersion', () => Int, {
    nullable: options.withDeprecatedAlias === true,
    description: options.withDeprecatedAlias ? `${EXPECTED_VERSION_DESCRIPTION} Required (or the deprecated \`version\`).` : EXPECTED_VERSION_DESCRIPTION,
  });

/** The deprecated alias `version: Int` of `expectedVersion`. */
export const DeprecatedVersionArg = () =>
  Arg('version', () => Int, { nullable: true, deprecationReason: VERSION_DEPRECATION, description: 'Deprecated: the same as `expectedVersion`.' });

/**
 * The expected version from `expectedVersion` or its deprecated alias `version`: BAD_USER_INPUT when
 * neither is given, or both with different values.
 */
export function expectedVersionOf(expectedVersion: number | null | undefined, version: number | null | undefined, field = 'expectedVersion'): number {
  const given = [expectedVersion, version].filter((v): v is number => v !== null && v !== undefined);
  if (given.length === 0) throw badUserInput(`${field} is required: pass the \`version\` you last read.`, { argument: field });
  if (given.length === 2 && given[0] !== given[1])
    throw badUserInput(`${field} and its deprecated alias version disagree (${given[0]}, ${given[1]}); pass expectedVersion only.`, { argument: field });
  return given[0] as number;
}

/** The same for an optional expected version (create-or-change writes): null when neither is given. */
export function optionalExpectedVersionOf(
  expectedVersion: number | null | undefined,
  version: number | null | undefined,
  field = 'expectedVersion',
): number | null {
  if ((expectedVersion === null || expectedVersion === undefined) && (version === null || version === undefined)) return null;
  return expectedVersionOf(expectedVersion, version, field);
}
