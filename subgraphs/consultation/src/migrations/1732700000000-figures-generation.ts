import { generationMigration } from '@nimo/kit';

/**
 * A generation number for the consultation figures: every committed change to a case, contact or
 * referral advances it (a deferred trigger, so it moves at commit), and a subgraph reuses figures it
 * computed for a period until the generation moves. A sequence, not a counter row: writers never
 * queue behind one another for it.
 */
export const FiguresGeneration1732700000000 = generationMigration('FiguresGeneration1732700000000', {
  case_figures: 'consultation_case',
  contact_figures: 'case_contact',
  referral_figures: 'referral',
});
