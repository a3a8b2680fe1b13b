import { generationMigration } from '@nimo/kit';

/**
 * A generation number for the rows the evaluation of construction status reads: every committed
 * change to reported indicator values or programme participations advances it, and the subgraph
 * reuses those rows until it moves (kit `GenerationCache`, as consultation, training and the directory).
 */
export const AdviserSupportFiguresGeneration1733300000000 = generationMigration('AdviserSupportFiguresGeneration1733300000000', {
  indicator_value_figures: 'indicator_value',
  participation_figures: 'program_participation',
});
