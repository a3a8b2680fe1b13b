import { anyOf, area, everyone, forRoles, nobody, ownJurisdictions, type Rule } from '@nimo/kit';

/**
 * Who may read and write what in the adviser-support subgraph. The domain page ("Who may see what")
 * speaks of consultation cases and public directory data; it is silent on most of what lives here, so
 * every rule below says whether it follows the page or is a decision of this module. Where neither
 * applies: deny. Resolvers apply these rules in SQL (`scopeWhere`, so lists, single fetches and entity
 * references never load a row outside the scope) and in memory (`scopeCovers`, for field guards and
 * before writes).
 */

const STAFF_GOVERNMENT = ['prefecture', 'health_centre', 'mhw_centre', 'municipality'] as const;

/** The nation and its adviser organisation run the programs: they read everything here. */
const national: Rule = forRoles(['nation', 'adviser'], everyone);

export const policy = {
  /**
   * National budgets, the 14 items and the indicator definitions: public information (they are printed in
   * MHLW's published budget and program documents, the seed), open to every principal, vendors and the
   * public included. Read-only: loaded by the migration and the code.
   */
  reference: { read: everyone },

  /**
   * Program participation (items, budgets) of a jurisdiction. Decision: the nation and the adviser
   * organisation read all; a prefecture (and the health centres and mental health and welfare centres
   * acting for it) reads its area; a municipality (a designated city, special ward or health-centre city)
   * reads its own. Public, vendors and providers: denied (the hub does not hold the published lists).
   * Written by the nation (the program secretariat records what was granted) or by the jurisdiction itself.
   */
  participation: {
    read: anyOf(national, forRoles(['prefecture', 'health_centre', 'mhw_centre'], area), forRoles(['municipality'], ownJurisdictions)),
    write: anyOf(forRoles(['nation'], everyone), forRoles(['prefecture', 'municipality'], ownJurisdictions)),
  },

  /**
   * Advisers, their assignments and the construction promotion supporters: named practitioners (pseudonyms
   * in the demo). Decision: every government staff role and the adviser organisation reads the whole roster
   * (jurisdictions need to know whom they can ask); providers, vendors and the public are denied (personal
   * data of the advisers). No writes through the API yet: the roster is loaded by the secretariat's import.
   */
  advisers: { read: anyOf(national, forRoles([...STAFF_GOVERNMENT], everyone)), write: nobody },

  /**
   * Support requests. From the brief of the issue: a jurisdiction sees and files its own; the adviser
   * organisation sees all, assigns advisers and moves them through their lifecycle; the nation reads all;
   * a prefecture sees those of its area. Health centres and mental health and welfare centres: denied (the
   * domain page is silent; requests are between the participating jurisdiction and the adviser
   * organisation). A requesting jurisdiction may only cancel its own request; every other move is the
   * adviser organisation's.
   */
  supportRequests: {
    read: anyOf(national, forRoles(['prefecture'], area), forRoles(['municipality'], ownJurisdictions)),
    file: forRoles(['prefecture', 'municipality'], ownJurisdictions),
    manage: forRoles(['adviser'], everyone),
  },

  /**
   * The evaluation of construction status of a jurisdiction (its values and roll-ups). Follows the domain
   * page: public health centres and mental health and welfare centres monitor how far each municipality
   * has come, so they read their area like the prefecture; the nation and the adviser organisation run the
   * evaluation and read all; a municipality reads its own. Public and vendors: denied (part of it is demo
   * or not yet published data). Reported values are written by the import only (no API writes yet).
   */
  evaluation: {
    read: anyOf(national, forRoles(['prefecture', 'health_centre', 'mhw_centre'], area), forRoles(['municipality'], ownJurisdictions)),
  },

  /** The national roll-up: the nation and the adviser organisation (decision: the tiers see their own areas). */
  nationalEvaluation: { read: national },

  /**
   * Practice cases (事例集): compiled by the secretariat to be shared on the portal, a public web site of
   * know-how; they describe what an administration did, never a resident. Public information: open to
   * every principal, vendors included. No API writes yet.
   */
  practiceCases: { read: everyone },
} as const;
