import { everyone, nobody } from '@nimo/kit';

/**
 * Who may read and write what in the directory (the domain page, "Who may see what": public
 * directory data is open to everyone, vendors included). Every type here is public; there are no
 * writes through the API — the directory is loaded from its sources by the seed/import only.
 */
export const policy = {
  /** Jurisdictions, regions, daily-life areas, organisations and their services, forums. */
  read: everyone,
  write: nobody,
} as const;
