import type { Principal } from './principal';

/**
 * The principals of tokens already verified in full, by the token's exact text, until a given time:
 * a token seen again is not verified again (a signature check and JWT parsing, about half a
 * millisecond of CPU on every request). A token that differs by one character is a different entry,
 * so only the very string that verified is trusted. Holds at most `maxEntries` (then starts afresh).
 * Used by the gateway for bearer tokens and by the subgraphs for the hop token.
 */
export class VerifiedTokens {
  private readonly byToken = new Map<string, { readonly principal: Principal; readonly validUntil: number }>();

  constructor(private readonly maxEntries = 10_000) {}

  /** The principal of a token verified before, while it is still valid; undefined otherwise. */
  get(token: string): Principal | undefined {
    const known = this.byToken.get(token);
    if (!known) return undefined;
    if (Date.now() < known.validUntil) return known.principal;
    this.byToken.delete(token);
    return undefined;
  }

  /**
   * Remembers a token that has just verified, until `validUntil` (ms since the epoch), and returns its
   * principal frozen: every request that carries the same token shares it, so none may change it.
   */
  remember(token: string, principal: Principal, validUntil: number): Principal {
    const frozen: Principal = Object.freeze({ ...principal, jurisdictionCodes: Object.freeze([...principal.jurisdictionCodes]) });
    if (this.byToken.size >= this.maxEntries) this.byToken.clear();
    this.byToken.set(token, { principal: frozen, validUntil });
    return frozen;
  }
}
