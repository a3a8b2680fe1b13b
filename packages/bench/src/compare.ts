/** One difference between two JSON answers: where, and the two values. */
export interface Difference {
  readonly path: string;
  readonly ours: unknown;
  readonly peer: unknown;
  /** The `code` of the nearest enclosing object that has one (an indicator's code, a jurisdiction's code). */
  readonly code: string | undefined;
}

/** Every difference between two JSON values (order of object keys ignored, order of lists kept). */
export function differences(ours: unknown, peer: unknown, path = '', code?: string): Difference[] {
  if (Object.is(ours, peer)) return [];
  if (Array.isArray(ours) && Array.isArray(peer)) {
    if (ours.length !== peer.length) return [{ path: `${path}.length`, ours: ours.length, peer: peer.length, code }];
    return ours.flatMap((o, i) => differences(o, peer[i], `${path}[${i}]`, code));
  }
  if (ours && peer && typeof ours === 'object' && typeof peer === 'object' && !Array.isArray(ours) && !Array.isArray(peer)) {
    const a = ours as Record<string, unknown>;
    const b = peer as Record<string, unknown>;
    const here = typeof a.code === 'string' ? a.code : code;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    return keys.flatMap((k) => differences(a[k], b[k], `${path}.${k}`, here));
  }
  return [{ path, ours, peer, code }];
}
