import { anyOf, area, everyone, forRoles, nobody, ownJurisdictions } from '@nimo/kit';

/**
 * Who may read and write what in the directory (the domain page, "Who may see what": public
 * directory data is open to everyone, vendors included). Jurisdictions, areas, organisations and
 * forums are loaded from their sources by the seed/import only; the one thing written through the
 * API is a forum's record of its work (meetings and PDCA cycles), by the forum's own jurisdiction.
 */
export const policy = {
  /** Jurisdictions, regions, daily-life areas, organisations and their services, forums, and that (and when) a forum met. */
  read: everyone,
  write: nobody,
  /**
   * A forum's minutes (attendance, agenda, needs shared, decisions) and PDCA cycles: the forum's own
   * jurisdiction and the tiers above it read them (issue 15: "the tiers above read; the public sees that
   * a forum met, not its minutes"). The nation and the adviser organisation: every forum; a prefecture,
   * health centre or mental health and welfare centre: forums of its area (a prefecture code covers its
   * whole prefecture, region forums included); a municipality: its own forum. Matched against the
   * record's keeper (`owner_code`: the forum's municipality or prefecture, a region forum's prefecture).
   */
  readForumRecords: anyOf(forRoles(['nation', 'adviser'], everyone), forRoles(['prefecture', 'health_centre', 'mhw_centre', 'municipality'], area)),
  /**
   * Writing a forum's record: its own jurisdiction only ("the forum's own jurisdiction writes") — the
   * municipality for a municipal forum, the prefecture (or designated city at that tier) for its own
   * forum and for the forums of its regions.
   */
  writeForumRecords: forRoles(['municipality', 'prefecture'], ownJurisdictions),
} as const;
