import { createHash } from 'node:crypto';
import { JurisdictionKind, type JurisdictionRow } from './jurisdictions';

/** Deterministic demo data: every subgraph's generator derives its values and ids from these. */

/** A number in [0, 1) fixed by its inputs: the demo data is the same on every machine and every run. */
export function unit(...parts: (string | number)[]): number {
  const digest = createHash('sha1').update(parts.join('\u0000')).digest();
  return digest.readUInt32BE(0) / 0x1_0000_0000;
}

/** mulberry32: a small seeded generator of numbers in [0, 1), for streams of demo or test values fixed by a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max] fixed by its inputs. */
export function pick(min: number, max: number, ...parts: (string | number)[]): number {
  return min + Math.floor(unit(...parts) * (max - min + 1));
}

/** A name-based UUID (version 5 layout) fixed by its inputs. */
export function demoUuid(...parts: (string | number)[]): string {
  const bytes = createHash('sha1')
    .update(`nimo-demo\u0000${parts.join('\u0000')}`)
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The first fiscal year of the demo's program participations: every demo participant takes part from it on. */
export const DEMO_PROGRAM_FIRST_YEAR = 2022;

/**
 * The demo's participants in the construction promotion program (構築推進事業): every prefecture and
 * designated city, and about three in ten special wards and other health-centre cities. Shared by the
 * adviser-support demo (their participations, with the mandatory item 1, the forum, from
 * DEMO_PROGRAM_FIRST_YEAR) and the directory demo (their forums exist and were set up before that
 * year), so that no jurisdiction runs its forum item before its forum was set up.
 */
export function isDemoPromotionParticipant(row: JurisdictionRow): boolean {
  if (row.administrationSuspended) return false;
  if (row.kind === JurisdictionKind.PREFECTURE || row.kind === JurisdictionKind.DESIGNATED_CITY) return true;
  const mayRun = row.kind === JurisdictionKind.SPECIAL_WARD || (row.runsPublicHealthCentre && row.kind !== JurisdictionKind.ADMINISTRATIVE_WARD);
  return mayRun && unit(row.code, 'participates') < 0.3;
}
