import { generationMigration } from '@nimo/kit';

/**
 * A generation number for the directory's figures (forum coverage, meetings per forum and fiscal
 * year): every committed change to jurisdictions, regions, forums or their meetings advances it, and
 * the subgraph reuses those figures until it moves (kit `GenerationCache`, as consultation and training).
 */
export const DirectoryFiguresGeneration1733300000000 = generationMigration('DirectoryFiguresGeneration1733300000000', {
  jurisdiction_figures: 'jurisdiction',
  region_figures: 'region',
  forum_figures: 'forum',
  forum_meeting_figures: 'forum_meeting',
});
